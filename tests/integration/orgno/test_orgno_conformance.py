"""The `ansattporten:orgno` source passes the conformance kit against a real
employer-rules service, with a bearer token and with private_key_jwt; and a single-use
assertion is made for every call (the service accepts each `jti` once)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from joserfc.jwk import RSAKey

from authz_sources import SourceUnavailable, Subject
from authz_sources.registry import create_sources
from authz_sources.testing import check_source
from tests.support.employer_rules import API_TOKEN, RunningRules, run_employer_rules
from tests.support.orgno_stack import RULES

NORA = Subject(
    client_id="confidential-service",
    email="nora.berg@fjordvind.example",
    groups=("1096dca3-0a11-5e5b-bd8a-a858d9f41831",),
    eid="entraid",
    acr="entraid",
)
CALLER = "ansattporten-provider"
VALID = [
    {"type": "ansattporten:orgno"},
    {"type": "ansattporten:orgno", "organizationform": "enterprise"},
    {"type": "ansattporten:orgno", "allow_deleted_organizations": True,
     "allow_multiple_organizations": True, "representation_is_required": True},
]  # fmt: skip
INVALID = [
    {"type": "ansattporten:orgno", "resource": "urn:altinn:resource:x"},
    {"type": "ansattporten:orgno", "authorized_parties": []},
    {"type": "ansattporten:orgno", "organizationform": "both"},
    {"type": "ansattporten:altinn:resource"},
]


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    key = RSAKey.generate_key(2048, parameters={"kid": "provider-1"}, private=True)
    path = tmp_path_factory.mktemp("keys") / "provider-key.json"
    path.write_text(json.dumps(key.as_dict(private=True)))
    return path


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, key_file: Path) -> Iterator[RunningRules]:
    folder = tmp_path_factory.mktemp("rules")
    private = json.loads(key_file.read_text())
    public = RSAKey.import_key(private).as_dict(private=False)
    jwks = folder / "provider-jwks.json"
    jwks.write_text(json.dumps({"keys": [{**public, "kid": private["kid"]}]}))
    overrides = {
        "initial_rules_file": str(RULES),
        "api": {"callers": [{"client_id": CALLER, "jwks_file": str(jwks)}]},
    }
    with run_employer_rules(f"sqlite:///{folder / 'rules.db'}", overrides=overrides) as running:
        yield running


def settings(service: RunningRules, key_file: Path, how: str) -> dict[str, Any]:
    if how == "token":
        return {"base_url": service.base_url, "token": API_TOKEN}
    return {"base_url": service.base_url, "client_id": CALLER, "private_key_file": str(key_file)}


@pytest.mark.parametrize("how", ["token", "private_key_jwt"])
async def test_conformance(service: RunningRules, key_file: Path, how: str) -> None:
    [source] = create_sources({"orgno": settings(service, key_file, how)})
    report = await check_source(
        source, subject=NORA, valid_details=VALID, invalid_details=INVALID, expect_parties=True
    )
    report.assert_ok()


async def test_every_call_carries_a_fresh_assertion(service: RunningRules, key_file: Path) -> None:
    [source] = create_sources({"orgno": settings(service, key_file, "private_key_jwt")})
    detail = source.parse_detail({"type": "ansattporten:orgno"})
    try:
        answers = [await source.find_parties(NORA, detail) for _ in range(3)]
    finally:
        await source.aclose()
    assert answers[0] == answers[1] == answers[2]
    assert {party.orgno for party in answers[0]} == {"313873137", "317462263", "318610584"}


async def test_a_wrong_key_is_refused(service: RunningRules, tmp_path: Path) -> None:

    other = RSAKey.generate_key(2048, parameters={"kid": "provider-1"}, private=True)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(other.as_dict(private=True)))
    [source] = create_sources({"orgno": settings(service, wrong, "private_key_jwt")})
    detail = source.parse_detail({"type": "ansattporten:orgno"})
    try:
        with pytest.raises(SourceUnavailable, match="HTTP 401"):
            await source.find_parties(NORA, detail)
    finally:
        await source.aclose()
