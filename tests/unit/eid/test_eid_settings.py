"""`[eids.<name>]`: presets fill in the defaults the issue lists, anything can be
overridden, settings that cannot work are refused naming the eID, and no `[eids]` table
is TestID alone."""

from __future__ import annotations

from typing import Any

import pytest

from ansattporten.settings import SettingsError, settings_from_mapping
from ansattporten.settings_eids import EidConfig, offered_acr_values, resolve_eids

TENANT = "2e9678c1-f38a-58c6-a31a-797425a9263c"


def eids(blocks: dict[str, Any], environ: dict[str, str] | None = None) -> list[EidConfig]:
    settings = settings_from_mapping({"eids": blocks}, environ=environ or {})
    return list(resolve_eids(settings.eids))


def idporten(**changes: Any) -> dict[str, Any]:
    return {"preset": "idporten", "issuer": "https://test.idporten.no", "client_id": "c",
            "client_secret": "s", **changes}  # fmt: skip


def entraid(**changes: Any) -> dict[str, Any]:
    return {"preset": "entraid", "issuer": "https://login.microsoftonline.com/organizations/v2.0",
            "client_id": "c", "client_secret": "s", **changes}  # fmt: skip


def test_no_eids_table_is_testid_alone() -> None:
    [testid] = eids({})
    assert (testid.name, testid.kind) == ("testid", "testid")
    assert testid.acr_values == ("idporten-loa-substantial", "idporten-loa-high")


def test_the_idporten_preset() -> None:
    [eid] = eids({"idporten": idporten()})
    assert eid.kind == "oidc"
    assert eid.acr_values == (
        "idporten-loa-substantial",
        "idporten-loa-high",
        "eidas-loa-substantial",
        "eidas-loa-high",
    )
    assert eid.pass_acr_values
    assert eid.acr_from_upstream
    assert eid.claims.pid == "pid"
    assert eid.claims.eidas_person_identifier == "eidas_person_identifier"
    assert (eid.claims.given_name, eid.claims.birthdate) == ("given_name", "birthdate")
    assert eid.email_trust == "never"
    assert eid.assertion_audience == "issuer"
    assert eid.token_endpoint_auth_method == "client_secret_basic"


def test_the_entraid_preset() -> None:
    [eid] = eids({"entraid": entraid(allowed_tenants=[TENANT.upper()])})
    assert eid.acr_values == ("entraid",)
    assert not eid.pass_acr_values
    assert not eid.acr_from_upstream
    assert eid.amr_prefix == "entraid_"
    assert (eid.claims.email, eid.claims.entra_tid, eid.claims.entra_oid) == ("email", "tid", "oid")
    assert eid.claims.groups == "groups"
    assert eid.claims.pid == ""
    assert eid.email_trust == "xms_edov"
    assert eid.multi_tenant
    assert eid.allowed_tenants == (TENANT,)
    assert eid.assertion_audience == "token_endpoint"
    assert eid.scope == "openid profile email"


def test_a_preset_value_can_be_overridden() -> None:
    [eid] = eids({"idporten": idporten(acr_values=["idporten-loa-high"], scope="openid")})
    assert eid.acr_values == ("idporten-loa-high",)
    assert eid.scope == "openid"


def test_a_key_file_means_private_key_jwt() -> None:
    [eid] = eids({"idporten": idporten(client_secret=None, private_key_file="k.json")})
    assert eid.token_endpoint_auth_method == "private_key_jwt"


def test_the_secret_can_come_from_the_environment() -> None:
    [eid] = eids(
        {"entraid": entraid(client_secret=None)},
        environ={"ANSATTPORTEN_EIDS__ENTRAID__CLIENT_SECRET": "from-env"},
    )
    assert eid.client_secret == "from-env"


def test_the_order_of_the_file_is_the_selector_order() -> None:
    names = [e.name for e in eids({"entraid": entraid(), "testid": {"kind": "testid"}})]
    assert names == ["entraid", "testid"]


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        ({"Bad Name": {"kind": "testid"}}, "not a usable eID name"),
        ({"cancel": {"kind": "testid"}}, "not a usable eID name"),
        ({"x": {}}, "set kind"),
        ({"x": {"kind": "testid", "issuer": "https://a"}}, "issuer is not a TestID setting"),
        ({"x": {"kind": "testid", "acr_values": ["entraid"]}}, "TestID serves only"),
        ({"x": idporten(issuer="test.idporten.no")}, "issuer must be"),
        ({"x": idporten(client_id=None)}, "client_id is required"),
        ({"x": idporten(client_secret=None)}, "needs client_secret"),
        ({"x": idporten(token_endpoint_auth_method="private_key_jwt")}, "needs private_key_file"),
        ({"x": idporten(acr_values=["level4"])}, "acr_values must be among"),
        ({"x": idporten(scope="profile")}, "scope must include openid"),
        ({"x": entraid(allowed_tenants=["fjordvind"])}, "tenant ids"),
        ({"x": idporten(allowed_tenants=[TENANT])}, "needs multi_tenant"),
        ({"x": entraid(acr_from_upstream=False, acr_values=["entraid", "idporten-loa-high"])},
         "exactly one level"),
        ({"x": idporten(timeout_seconds=0)}, "timeout_seconds"),
        ({"x": idporten(max_groups=5)}, "max_groups"),
        ({"x": idporten(unknown_key=1)}, "unknown_key"),
    ],
)  # fmt: skip
def test_settings_that_cannot_work_are_refused(blocks: dict[str, Any], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        eids(blocks)


def test_an_environment_override_must_name_a_configured_eid() -> None:
    with pytest.raises(SettingsError, match="names no eID"):
        eids({"testid": {"kind": "testid"}}, {"ANSATTPORTEN_EIDS__NOSUCH__CLIENT_SECRET": "x"})


def test_the_levels_offered_are_those_the_eids_serve() -> None:
    configs = tuple(eids({"testid": {"kind": "testid"}, "entraid": entraid()}))
    assert offered_acr_values(configs, None) == (
        "idporten-loa-substantial",
        "idporten-loa-high",
        "entraid",
    )
    assert offered_acr_values(configs, ["entraid"]) == ("entraid",)
