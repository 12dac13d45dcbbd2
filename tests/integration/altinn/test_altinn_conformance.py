"""The conformance kit passes the Altinn source, for several demo people, both with a
fixed token and with tokens from (mock) Maskinporten exchanged at (mock) Altinn, for both
of its RAR types (Altinn 3 resources and Altinn 2 link services)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from authz_sources import Subject
from authz_sources.altinn import AltinnSettings, AltinnSource
from authz_sources.altinn.mock import DEMO_FIXTURE, create_mock_app
from authz_sources.altinn.mock_auth import MaskinportenGate
from authz_sources.maskinporten.mock import create_mock_maskinporten
from authz_sources.testing import check_source
from tests.integration.altinn.altinn_support import Demo
from tests.support.maskinporten_keys import ClientKeys
from tests.support.servers import serve_in_thread

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


@pytest.fixture(scope="module")
def maskinporten_altinn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Mock Maskinporten and a mock Altinn that takes only exchanged tokens; yields the
    source settings for them."""
    keys = ClientKeys(tmp_path_factory.mktemp("conformance-keys"))
    with serve_in_thread(create_mock_maskinporten(keys.clients())) as maskinporten:
        gate = MaskinportenGate(maskinporten + "/")
        with serve_in_thread(create_mock_app(DEMO_FIXTURE, gate=gate)) as altinn:
            yield {
                "base_url": altinn,
                "maskinporten_issuer": maskinporten + "/",
                "maskinporten_client_id": keys.client_id,
                "maskinporten_key": str(keys.jwk_file),
            }


@pytest.mark.parametrize("role", ["main_with_subunits", "accountant", "no_parties"])
async def test_altinn_source_with_maskinporten_conforms(
    maskinporten_altinn: dict[str, Any], demo: Demo, role: str
) -> None:
    source = AltinnSource("altinn", AltinnSettings(**maskinporten_altinn))
    try:
        report = await check_source(
            source,
            subject=Subject(pid=demo.pid(role), client_id="conformance"),
            valid_details=VALID,
            invalid_details=INVALID,
            expect_parties=role != "no_parties",
        )
        report.assert_ok()
        assert len(report.results) > 60
    finally:
        await source.aclose()


@pytest.mark.parametrize(
    ("role", "expect_parties"),
    [
        ("main_with_subunits", True),
        ("hierarchy_only_parent", True),
        ("two_resources", True),
        ("with_deleted", True),
        ("single_delegation", True),
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
