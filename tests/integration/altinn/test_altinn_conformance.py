"""The conformance kit passes the Altinn source, for several demo people."""

from __future__ import annotations

from typing import Any

import pytest

from authz_sources import Subject
from authz_sources.testing import check_source
from tests.integration.altinn.altinn_support import Demo

RESOURCE = "ansattporten:altinn:resource"
SERVICE = "ansattporten:altinn:service"
VALID = [
    {
        "type": RESOURCE,
        "resource": "urn:altinn:resource:resource_enkeltrettighet",
        "actions": "write,report",
        "allow_multiple_organizations": True,
        "representation_is_required": False,
    },
    {"type": RESOURCE, "resource": "urn:altinn:resource:app_ttd_apps-test"},
    {"type": SERVICE, "resource": "urn:altinn:resource:2480:40", "organizationform": "business"},
]
INVALID = [
    {"type": RESOURCE},
    {"type": RESOURCE, "resource": "urn:altinn:resource:2480:40"},
    {"type": RESOURCE, "resource": "urn:altinn:resource:x", "actions": ""},
    {"type": SERVICE, "resource": "urn:altinn:resource:app_ttd_apps-test"},
    {"type": SERVICE, "resource": "urn:altinn:resource:2480:40", "actions": "read"},
    {"type": "ansattporten:orgno"},
]


@pytest.mark.parametrize(
    ("role", "expect_parties"),
    [
        ("main_with_subunits", True),
        ("hierarchy_only_parent", True),
        ("two_resources", True),
        ("with_deleted", True),
        ("no_parties", False),
    ],
)
async def test_altinn_source_conforms(
    make_source: Any, demo: Demo, role: str, expect_parties: bool
) -> None:
    report = await check_source(
        make_source(),
        subject=Subject(pid=demo.pid(role), client_id="conformance"),
        valid_details=VALID,
        invalid_details=INVALID,
        expect_parties=expect_parties,
    )
    report.assert_ok()
    assert len(report.results) > 60
