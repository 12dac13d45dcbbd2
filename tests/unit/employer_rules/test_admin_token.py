"""Who the administrator is and which organisations they may administer, read from the
provider's id_token: only parties of the administration resource, only with acr
substantial or high."""

from __future__ import annotations

from typing import Any

import pytest

from employer_rules.admin.admin_token import NotAnAdministrator, administrator_of

RESOURCE = "urn:altinn:resource:digdir-ansattporten-organisasjonstilknytning"


def party(orgno: str, name: str = "OTER AS", unit_type: str = "AS") -> dict[str, Any]:
    return {
        "orgno": {"authority": "iso6523-actorid-upis", "ID": f"0192:{orgno}"},
        "name": name,
        "unit_type": unit_type,
        "resource": RESOURCE.rsplit(":", 1)[1],
    }


def claims(*details: dict[str, Any], acr: str = "substantial") -> dict[str, Any]:
    return {"sub": "s1", "pid": "14926033388", "acr": acr, "authorization_details": list(details)}


def test_the_organisations_of_the_administration_resource() -> None:
    admin = administrator_of(
        claims(
            {
                "type": "ansattporten:altinn:resource",
                "resource": RESOURCE,
                "authorized_parties": [party("318610584"), party("311337432", "AVD", "BEDR")],
            },
            {
                "type": "ansattporten:altinn:resource",
                "resource": "urn:altinn:resource:app_ttd_apps-test",
                "authorized_parties": [party("313873137")],
            },
            {"type": "ansattporten:orgno", "authorized_parties": [party("317462263")]},
        ),
        RESOURCE,
    )
    assert admin.orgnos == {"318610584", "311337432"}
    assert admin.organisations[1].unit_type == "BEDR"
    assert (admin.sub, admin.pid, admin.name) == ("s1", "14926033388", None)


def test_the_name_when_the_eid_gives_one() -> None:
    detail = {
        "type": "ansattporten:altinn:resource",
        "resource": RESOURCE,
        "authorized_parties": [party("318610584")],
    }
    named = administrator_of({**claims(detail), "name": "Kari Nordmann"}, RESOURCE)
    assert named.name == "Kari Nordmann"
    assert administrator_of({**claims(detail), "name": " "}, RESOURCE).name is None


@pytest.mark.parametrize(
    "broken",
    [
        {"orgno": {"ID": "318610584"}, "name": "X"},
        {"orgno": {"ID": "0192:318610585"}, "name": "X"},
        {"orgno": "0192:318610584", "name": "X"},
        {"orgno": {"ID": "0192:318610584"}},
        "0192:318610584",
    ],
)
def test_malformed_parties_are_left_out(broken: Any) -> None:
    detail = {"type": "ansattporten:altinn:resource", "resource": RESOURCE}
    with pytest.raises(NotAnAdministrator) as refused:
        administrator_of(claims({**detail, "authorized_parties": [broken]}), RESOURCE)
    assert refused.value.code == "no_organisations"


@pytest.mark.parametrize(
    "details",
    [[], [{"type": "ansattporten:altinn:resource", "resource": RESOURCE}], "nonsense"],
)
def test_no_organisation_means_no_administration(details: Any) -> None:
    with pytest.raises(NotAnAdministrator):
        administrator_of({**claims(), "authorization_details": details}, RESOURCE)


@pytest.mark.parametrize("acr", ["entraid", "low", None])
def test_a_low_level_of_assurance_is_refused(acr: str | None) -> None:
    detail = {
        "type": "ansattporten:altinn:resource",
        "resource": RESOURCE,
        "authorized_parties": [party("318610584")],
    }
    with pytest.raises(NotAnAdministrator) as refused:
        administrator_of(claims(detail, acr=acr), RESOURCE)  # type: ignore[arg-type]
    assert refused.value.code == "acr"
