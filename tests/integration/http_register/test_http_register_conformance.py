"""The HTTP register source passes the conformance kit, against a register over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from authz_sources import Subject
from authz_sources.registry import create_sources
from authz_sources.testing import check_source
from tests.integration.http_register.register_app import create_register_app, wire_party
from tests.support.servers import serve_in_thread

PERSON = "14838010041"
TYPE = "myagency:role"
TABLE = {
    PERSON: [
        wire_party("311000001", "FJELL OG FJORD AS", "AS", rights=["inspector", "reader"]),
        wire_party(
            "311000002", "FJELL OG FJORD AS AVD BERGEN", "BEDR", parent_id="0192:311000001",
            rights=["reader"],
        ),
        wire_party("311000003", "NEDLAGT AS", "AS", is_deleted=True, rights=["reader"]),
    ]
}  # fmt: skip


@pytest.fixture(scope="module")
def register_url() -> Iterator[str]:
    with serve_in_thread(create_register_app(TABLE, token="t").app) as base_url:
        yield base_url


async def test_conformance(register_url: str) -> None:
    settings = {
        "kind": "http_register",
        "types": [TYPE, "myagency:case"],
        "base_url": f"{register_url}/ok",
        "token": "t",
        "fields": {"role": "string", "levels": "array"},
        "required_fields": ["role"],
    }
    [source] = create_sources({"agency": settings})
    report = await check_source(
        source,
        subject=Subject(pid=PERSON, client_id="conformance"),
        valid_details=[
            {"type": TYPE, "role": "reader"},
            {"type": "myagency:case", "role": "inspector", "organizationform": "enterprise"},
            {"type": TYPE, "role": "reader", "allow_deleted_organizations": True},
        ],
        invalid_details=[
            {"type": TYPE},
            {"type": TYPE, "role": "reader", "levels": "1,2"},
            {"type": TYPE, "role": "reader", "authorized_parties": []},
            {"type": "myagency:other", "role": "reader"},
        ],
        expect_parties=True,
    )
    report.assert_ok()
