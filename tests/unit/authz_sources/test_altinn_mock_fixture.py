"""The mock's fixture format is validated at load, and the demo fixture is what the
generator produces, with valid synthetic identifiers."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from authz_sources.altinn.fixtures import make_demo
from authz_sources.altinn.fixtures.synthetic import orgno_check_digit, pid_check_digits
from authz_sources.altinn.mock import DEMO_FIXTURE, create_mock_app
from authz_sources.altinn.mock_access import permitted
from authz_sources.altinn.mock_fixture import FixtureError, load_fixture
from authz_sources.altinn.mock_parties import Query, authorized_parties

PEOPLE_FILE = Path(__file__).parents[2] / "fixtures" / "altinn_people.json"
PID = "01817512345"


def minimal() -> dict[str, Any]:
    return {
        "authorized_parties": {
            PID: [
                {
                    "partyUuid": "u1",
                    "partyId": 1,
                    "name": "EN AS",
                    "type": "Organization",
                    "organizationNumber": "310000001",
                    "authorizedResources": ["res"],
                }
            ]
        },
        "resources": [{"identifier": "res", "title": {"nb": "R", "nn": "R", "en": "R"}}],
    }


def test_minimal_legacy_fixture_loads_with_defaults() -> None:
    world = load_fixture(minimal())
    (party,) = authorized_parties(world, PID, Query())
    assert party.subunits == []
    assert not party.is_deleted
    assert party.authorized_resources == ["res"]
    assert permitted(world, PID, "310000001", "res") == set()


def broken(change: str) -> dict[str, Any]:
    fixture = copy.deepcopy(minimal())
    party = fixture["authorized_parties"][PID][0]
    resource = fixture["resources"][0]
    if change == "extra top-level key":
        fixture["people"] = {}
    elif change == "missing resources":
        del fixture["resources"]
    elif change == "typo in party field":
        party["authorizedResource"] = []
    elif change == "short orgno":
        party["organizationNumber"] = "1234"
    elif change == "organisation without orgno":
        del party["organizationNumber"]
    elif change == "person without personId":
        party.update(type="Person", organizationNumber=None)
    elif change == "two levels of sub-units":
        party["subunits"] = [dict(party, subunits=[dict(party)])]
    elif change == "bad pid key":
        fixture["authorized_parties"] = {"123": []}
    elif change == "title without nn":
        resource["title"] = {"nb": "R", "en": "R"}
    elif change == "duplicate resource":
        fixture["resources"].append(resource)
    elif change == "string flag":
        party["isDeleted"] = "false"
    return fixture


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("extra top-level key", "unknown field `people`"),
        ("missing resources", "missing required field `resources`"),
        ("typo in party field", "unknown field `authorizedResource`"),
        ("short orgno", "organizationNumber"),
        ("organisation without orgno", "needs `organizationNumber`"),
        ("person without personId", "needs `personId`"),
        ("two levels of sub-units", "one level deep"),
        ("bad pid key", "authorized_parties"),
        ("title without nn", "`nn`"),
        ("duplicate resource", "listed twice"),
        ("string flag", "isDeleted"),
    ],
)
def test_broken_fixtures_are_refused_clearly(change: str, message: str) -> None:
    with pytest.raises(FixtureError) as caught:
        load_fixture(broken(change))
    assert message in str(caught.value)
    assert str(caught.value).startswith("altinn mock fixture")


def test_unreadable_file_is_a_fixture_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(FixtureError, match="cannot read JSON"):
        create_mock_app(path)


def test_demo_fixture_is_what_the_generator_writes() -> None:
    fixture, people = make_demo.build()
    assert DEMO_FIXTURE.read_text("utf-8") == make_demo.dump(fixture)
    assert PEOPLE_FILE.read_text("utf-8") == make_demo.dump(people)


def test_generator_writes_files(tmp_path: Path) -> None:
    out, people = tmp_path / "demo.json", tmp_path / "people.json"
    make_demo.main(["--out", str(out), "--people", str(people)])
    assert out.read_bytes() == DEMO_FIXTURE.read_bytes()
    assert people.read_bytes() == PEOPLE_FILE.read_bytes()


def test_demo_identifiers_are_valid_synthetic_numbers() -> None:
    fixture = json.loads(DEMO_FIXTURE.read_text("utf-8"))
    receivers = {c["to"] for c in fixture["connections"] if len(c["to"]) == 11}
    pids = sorted(receivers | {p["pid"] for p in fixture["persons"]})
    assert len(pids) > 10
    for pid in pids:
        assert len(pid) == 11
        assert pid.isdigit()
        assert 81 <= int(pid[2:4]) <= 92, "synthetic numbers have month + 80"
        assert pid_check_digits(pid[:9]) == pid[9:]
    for org in fixture["organizations"]:
        orgno = org["orgno"]
        assert len(orgno) == 9
        assert orgno.isdigit()
        assert orgno_check_digit(orgno[:8]) == int(orgno[8])


def test_check_digit_helpers_match_known_numbers() -> None:
    assert orgno_check_digit("99182582") == 7  # Digdir, 991825827
    assert orgno_check_digit("97476067") == 3  # Brønnøysundregistrene, 974760673
    assert orgno_check_digit("00000006") is None  # remainder 1: no valid number exists
    assert pid_check_digits("108501994") == "05"  # Tenor's example 10850199405


def test_people_file_names_every_demo_person() -> None:
    people = json.loads(PEOPLE_FILE.read_text("utf-8"))
    descriptions = people.pop("_descriptions")
    fixture = json.loads(DEMO_FIXTURE.read_text("utf-8"))
    assert set(descriptions) == set(people)
    receivers = {c["to"] for c in fixture["connections"]}
    assert set(people.values()) - receivers == {people["no_parties"]}
    expected = {
        "no_parties",
        "main_with_subunits",
        "hierarchy_only_parent",
        "with_deleted",
        "accountant",
        "two_resources",
        "single_delegation",
    }
    assert set(people) == expected


def test_demo_accountant_has_about_three_hundred_clients() -> None:
    people = json.loads(PEOPLE_FILE.read_text("utf-8"))
    parties = authorized_parties(load_fixture(DEMO_FIXTURE), people["accountant"], Query())
    forms = {p.unit_type for party in parties for p in [party, *party.subunits]}
    assert len(parties) == 301  # the firm and its clients, reached through the key role
    assert {"AS", "ENK", "NUF", "BEDR"} <= forms
    packages = Query(include_access_packages=True, any_of_resource_ids=("app_ttd_apps-test",))
    clients = authorized_parties(load_fixture(DEMO_FIXTURE), people["accountant"], packages)[1:]
    assert all(c.authorized_resources == [] for c in clients)
    assert all(
        c.authorized_access_packages
        == [
            "regnskapsforer-med-signeringsrettighet",
            "regnskapsforer-uten-signeringsrettighet",
        ]
        for c in clients
    )
