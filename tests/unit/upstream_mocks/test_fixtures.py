"""A mock's fixture is checked when the mock starts: a bad entry stops it with a message
naming the entry, never a login that fails later."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from ansattporten.upstream_mocks.entra.fixture import DEMO_FIXTURE as ENTRA_DEMO
from ansattporten.upstream_mocks.entra.fixture import load_fixture as load_entra
from ansattporten.upstream_mocks.fixture_files import FixtureError
from ansattporten.upstream_mocks.idporten.fixture import DEMO_FIXTURE as IDPORTEN_DEMO
from ansattporten.upstream_mocks.idporten.fixture import load_fixture as load_idporten

IDPORTEN: dict[str, Any] = json.loads(IDPORTEN_DEMO.read_text(encoding="utf-8"))
ENTRA: dict[str, Any] = json.loads(ENTRA_DEMO.read_text(encoding="utf-8"))


def test_the_demo_fixtures_load() -> None:
    idporten = load_idporten(IDPORTEN_DEMO)
    assert any(p.pid is None for p in idporten.eidas_people)
    assert any(p.pid is not None for p in idporten.eidas_people)
    assert len({p.country for p in idporten.eidas_people}) >= 4
    entra = load_entra(ENTRA_DEMO)
    assert {t.app_access for t in entra.tenants} == {
        "user_consent", "admin_consented", "blocked", "disabled",
    }  # fmt: skip
    assert max(len(u.groups) for t in entra.tenants for u in t.users) > 200
    assert any(20 < len(u.groups) <= 200 for t in entra.tenants for u in t.users)


def idporten_with(change: Any) -> dict[str, Any]:
    fixture = copy.deepcopy(IDPORTEN)
    change(fixture)
    return fixture


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f["people"][0].update(pid="01015550089"), "not a synthetic"),
        (lambda f: f["people"][0].update(pid="23865938773"), "not a synthetic"),
        (lambda f: f["eidas_people"][0].update(pid="1234"), "not a synthetic"),
        (lambda f: f["eidas_people"][0].update(eidas_person_identifier="SE/199001011234"), "XX/NO"),
        (lambda f: f["eidas_people"][0].update(eidas_person_identifier="SE/DK/1"), "XX/NO"),
        (lambda f: f["eidas_people"][0].update(birthdate="19.06.1959"), "YYYY-MM-DD"),
        (lambda f: f["people"].append(dict(f["people"][0])), "twice"),
        (lambda f: f["clients"][0].update(token_endpoint_auth_method="private_key_jwt"), "jwks"),
        (lambda f: f["clients"][0].pop("client_secret"), "client_secret"),
        (lambda f: f["clients"][0].update(redirect_uris=["/relative"]), "absolute"),
        (lambda f: f["clients"][0].update(scopes=["profile"]), "openid"),
        (lambda f: f["clients"][0].update(colour="blue"), "not valid"),
    ],
)
def test_bad_idporten_fixtures_are_refused(change: Any, message: str) -> None:
    with pytest.raises(FixtureError, match=message):
        load_idporten(idporten_with(change))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f["tenants"][0].update(tenant_id="Contoso"), "GUID"),
        (lambda f: f["tenants"][0]["users"][0]["groups"].append("admins"), "no GUID"),
        (lambda f: f["tenants"][1].update(tenant_id=f["tenants"][0]["tenant_id"]), "twice"),
        (lambda f: f["applications"][0].update(client_secrets=[], jwks=None), "secret or a jwks"),
        (lambda f: f["applications"][0].update(optional_claims=["upn"]), "optional claims"),
        (lambda f: f["tenants"][0].update(app_access="maybe"), "not valid"),
    ],
)
def test_bad_entra_fixtures_are_refused(change: Any, message: str) -> None:
    fixture = copy.deepcopy(ENTRA)
    change(fixture)
    with pytest.raises(FixtureError, match=message):
        load_entra(fixture)
