"""The agency register example behind the provider, with the provider started from the
example's own settings file: the person picks an organisation the register listed, and
the token carries it with the register's rights."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from authz_sources.altinn.fixtures.synthetic import orgno_check_digit, pid_check_digits
from examples.agency_register.app import REGISTER_FILE
from tests.support.example_stack import AgencyStack
from tests.support.service_browser import ServiceBrowser, offered, text_of

REGISTER = json.loads(Path(REGISTER_FILE).read_text("utf-8"))["people"]


def test_picked_party_appears_with_rights(
    agency: AgencyStack, browser: ServiceBrowser, altinn_people: dict[str, str]
) -> None:
    person = altinn_people["main_with_subunits"]
    picker = browser.log_in(agency.service, person)
    assert picker.url.path.startswith("/organisation/"), picker.text
    listed = [party["id"].removeprefix("0192:") for party in REGISTER[person]]
    assert sorted(offered(picker.text)) == sorted(listed)

    page = browser.choose(picker, listed[0])
    assert str(page.url).startswith(f"{agency.service}/callback"), page.text
    [detail] = json.loads(text_of(page.text, "details"))
    assert detail["type"] == "myagency:role"
    [party] = detail["authorized_parties"]
    assert party["orgno"] == {"authority": "iso6523-actorid-upis", "ID": f"0192:{listed[0]}"}
    assert party["name"] == REGISTER[person][0]["name"]
    assert party["rights"] == REGISTER[person][0]["rights"]


def test_deleted_organisations_are_not_offered(
    agency: AgencyStack, browser: ServiceBrowser, altinn_people: dict[str, str]
) -> None:
    person = altinn_people["two_resources"]
    picker = browser.log_in(agency.service, person)
    active = [p["id"][5:] for p in REGISTER[person] if not p.get("is_deleted")]
    assert offered(picker.text) == active


def test_person_unknown_to_the_register_continues_as_themself(
    agency: AgencyStack, browser: ServiceBrowser, altinn_people: dict[str, str]
) -> None:
    page = browser.log_in(agency.service, altinn_people["no_parties"])
    assert str(page.url).startswith(f"{agency.service}/callback"), page.text
    assert json.loads(text_of(page.text, "details")) == [{"type": "myagency:role"}]


def ask(agency: AgencyStack, token: str, detail: dict[str, str], pid: str) -> httpx.Response:
    return httpx.post(
        f"{agency.register}/parties",
        json={"type": "myagency:role", "subject": {"pid": pid}, "detail": detail},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def test_register_checks_the_token_and_applies_its_own_field(
    agency: AgencyStack, altinn_people: dict[str, str]
) -> None:
    token = agency.settings["sources"]["my_agency"]["token"]
    person = altinn_people["main_with_subunits"]
    assert ask(agency, "wrong", {"type": "myagency:role"}, person).status_code == 401
    answer = ask(agency, token, {"type": "myagency:role", "role": "rapportere"}, person)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert [p["id"] for p in answer.json()["parties"]] == ["0192:311700006"]


@pytest.mark.parametrize("pid", sorted(REGISTER))
def test_register_people_are_synthetic_with_valid_numbers(pid: str) -> None:
    assert 81 <= int(pid[2:4]) <= 92, "synthetic numbers have month + 80"
    assert pid_check_digits(pid[:9]) == pid[9:]
    for party in REGISTER[pid]:
        orgno = party["id"].removeprefix("0192:")
        assert orgno_check_digit(orgno[:8]) == int(orgno[8])
