"""The upstream's claims as the person: each field read from the claim the settings
name, refused when it has the wrong shape; e-mail only as far as `email_trust` allows
(Entra: `xms_edov`); groups bounded; amr prefixed; the level one the request accepts."""

from __future__ import annotations

from typing import Any

import pytest

from ansattporten.eid.upstream.claims import (
    login_acr,
    login_amr,
    person_from_claims,
    trusted_email,
)
from ansattporten.eid.upstream.errors import UpstreamRefused
from ansattporten.records import Person
from tests.unit.eid.upstream_fakes import config

TID = "2e9678c1-f38a-58c6-a31a-797425a9263c"
OID = "f0abf0ba-bcc0-56e3-8d06-3f7f4ea3ccb1"
BASE = {"iss": "https://op.example", "sub": "s1"}
IDPORTEN = {"preset": "idporten"}
ENTRA = {"preset": "entraid"}


def entra_claims(**changes: Any) -> dict[str, Any]:
    return {**BASE, "tid": TID.upper(), "oid": OID, "name": "Nora Berg",
            "email": "nora@fjordvind.example", "xms_edov": True, **changes}  # fmt: skip


def test_an_eidas_person_without_a_number() -> None:
    person = person_from_claims(
        {**BASE, "eidas_person_identifier": "DE/NO/7a3c", "given_name": "Jonas",
         "family_name": "Müller", "birthdate": "1979-11-02"},
        config(**IDPORTEN),
    )  # fmt: skip
    assert person.pid is None
    assert person.stable_id == "eidas:DE/NO/7a3c"
    assert person.full_name == "Jonas Müller"


def test_an_eidas_person_matched_to_a_number_keeps_the_eidas_subject() -> None:
    person = person_from_claims(
        {**BASE, "pid": "23865938772", "eidas_person_identifier": "SE/NO/1959"}, config(**IDPORTEN)
    )
    assert person.pid == "23865938772"
    assert person.stable_id == "eidas:SE/NO/1959"


def test_an_entra_user() -> None:
    person = person_from_claims(entra_claims(groups=["g1", "g2"]), config(**ENTRA))
    assert (person.entra_tid, person.entra_oid) == (TID, OID)  # lower case
    assert person.email == "nora@fjordvind.example"
    assert person.groups == ("g1", "g2")
    assert person.stable_id == f"entra:{TID}:{OID}"
    assert person.pid is None


@pytest.mark.parametrize(
    ("changes", "email"),
    [
        ({}, "nora@fjordvind.example"),
        ({"xms_edov": False}, None),
        ({"xms_edov": None}, None),
        ({"xms_edov": "1"}, "nora@fjordvind.example"),
        ({"email": "not an address", "xms_edov": True}, None),
    ],
)
def test_entra_email_only_where_microsoft_vouches_for_the_domain(
    changes: dict[str, Any], email: str | None
) -> None:
    claims = {k: v for k, v in entra_claims(**changes).items() if v is not None}
    assert trusted_email(claims, config(**ENTRA)) == email


def test_email_trust_for_a_plain_provider() -> None:
    cfg = config(claims={"email": "email"})
    assert trusted_email({"email": "a@b.example"}, cfg) is None
    assert trusted_email({"email": "a@b.example", "email_verified": True}, cfg) == "a@b.example"
    always = config(claims={"email": "email"}, email_trust="always")
    assert trusted_email({"email": "a@b.example"}, always) == "a@b.example"
    assert trusted_email({"email": "a@b.example", "email_verified": True}, config()) is None


def test_groups_are_bounded() -> None:
    many = [f"g{i}" for i in range(300)]
    person = person_from_claims(entra_claims(groups=many), config(**ENTRA))
    assert len(person.groups) == 200


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"pid": "12345678901"}, "pid"),
        ({"pid": 23865938772}, "short string"),
        ({"eidas_person_identifier": "not-eidas"}, "XX/YY"),
        ({"birthdate": "23.06.1959"}, "birthdate"),
        ({"given_name": "x" * 1000}, "short string"),
    ],
)
def test_claims_of_the_wrong_shape_are_refused(claims: dict[str, Any], why: str) -> None:
    with pytest.raises(UpstreamRefused, match=why):
        person_from_claims({**BASE, **claims}, config(**IDPORTEN))


@pytest.mark.parametrize(
    ("claims", "why"),
    [({"tid": "common"}, "GUID"), ({"groups": "g1"}, "group ids"), ({"groups": [1]}, "group ids")],
)
def test_entra_claims_of_the_wrong_shape_are_refused(claims: dict[str, Any], why: str) -> None:
    with pytest.raises(UpstreamRefused, match=why):
        person_from_claims(entra_claims(**claims), config(**ENTRA))


def test_amr_is_prefixed_for_entra() -> None:
    assert login_amr({"amr": ["pwd", "mfa"]}, config(**ENTRA)) == ("entraid_pwd", "entraid_mfa")
    assert login_amr({"amr": ["BankID"]}, config(**IDPORTEN)) == ("BankID",)
    assert login_amr({}, config(**ENTRA)) == ()
    with pytest.raises(UpstreamRefused):
        login_amr({"amr": [{"x": 1}]}, config(**IDPORTEN))


def test_the_level_must_be_one_the_request_accepts() -> None:
    cfg = config(**IDPORTEN)
    accepted = ("idporten-loa-substantial", "idporten-loa-high")
    assert login_acr({"acr": "idporten-loa-high"}, cfg, accepted) == "idporten-loa-high"
    with pytest.raises(UpstreamRefused, match="acr"):
        login_acr({"acr": "idporten-loa-substantial"}, cfg, ("idporten-loa-high",))
    with pytest.raises(UpstreamRefused, match="acr"):
        login_acr({"acr": "eidas-loa-high"}, cfg, accepted)
    with pytest.raises(UpstreamRefused, match="acr"):
        login_acr({}, cfg, accepted)
    assert login_acr({"acr": "1"}, config(**ENTRA), ("entraid",)) == "entraid"


def test_a_person_with_no_identifier_has_no_subject() -> None:
    with pytest.raises(ValueError, match="no identifier"):
        _ = Person(name="Nobody").stable_id
