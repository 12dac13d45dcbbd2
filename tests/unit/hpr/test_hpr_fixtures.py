"""The demo people: generated, consistent and still meaning what they say."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from authz_sources.hpr.approvals import valid_approvals
from authz_sources.hpr.fixtures import make_demo
from authz_sources.hpr.mock import DEMO_FIXTURE, load_fixtures
from authz_sources.hpr.wire import HprRecord, parse_hpr_date

PEOPLE_FILE = Path(__file__).parents[2] / "fixtures" / "hpr_people.json"


def test_committed_files_are_what_the_script_makes() -> None:
    register, roles = make_demo.build()
    assert DEMO_FIXTURE.read_text(encoding="utf-8") == make_demo.dump(register)
    assert PEOPLE_FILE.read_text(encoding="utf-8") == make_demo.dump(roles)


def test_script_writes_both_files(tmp_path: Path) -> None:
    make_demo.main(["--out", str(tmp_path / "d.json"), "--people", str(tmp_path / "p.json")])
    assert (tmp_path / "d.json").read_bytes() == DEMO_FIXTURE.read_bytes()
    assert (tmp_path / "p.json").read_bytes() == PEOPLE_FILE.read_bytes()


def test_identity_numbers_are_synthetic_and_valid() -> None:
    roles = json.loads(PEOPLE_FILE.read_text(encoding="utf-8"))
    pids = [person["pid"] for person in roles.values()]
    assert len(set(pids)) == len(pids)
    for pid in pids:
        assert make_demo.is_valid_pid(pid), pid
        assert int(pid[2:4]) > 80, "synthetic numbers have 80 added to the month"


@pytest.mark.parametrize(
    ("pid", "valid"),
    [("14838010041", True), ("14838010042", False), ("14838010051", False), ("1483801004", False)],
)
def test_check_digits(pid: str, valid: bool) -> None:
    assert make_demo.is_valid_pid(pid) is valid


def test_no_individual_number_left_raises() -> None:
    with pytest.raises(ValueError, match="no valid number"):
        make_demo.synthetic_pid(dt.date(1980, 1, 1), start=500)


@pytest.mark.parametrize("year", [2026, 2040, 2057])
def test_people_mean_the_same_for_decades(year: int) -> None:
    day = dt.date(year, 6, 1)
    register = load_fixtures(DEMO_FIXTURE)
    roles = json.loads(PEOPLE_FILE.read_text(encoding="utf-8"))

    def professions(role: str) -> list[str]:
        record = register[roles[role]["pid"]]
        return [a.helsepersonellkategori.verdi for a in valid_approvals(record, day)]

    assert professions("doctor") == ["LE"]
    assert professions("nurse") == ["SP"]
    assert professions("expired") == []
    assert professions("suspended") == []
    assert professions("two_approvals") == ["SP", "LE"]
    assert roles["absent"]["pid"] not in register


def test_fixture_loading_rejects_mistakes() -> None:
    good: dict[str, Any] = json.loads(DEMO_FIXTURE.read_text(encoding="utf-8"))
    pid, person = next(iter(good.items()))
    assert load_fixtures({pid: person})[pid].hpr_nummer == person["hprNummer"]
    with pytest.raises(ValueError, match="11-digit"):
        load_fixtures({"123": {**person, "person": {}}})
    with pytest.raises(ValueError, match="another nin"):
        load_fixtures({"10101010101": person})
    with pytest.raises(ValueError, match="not valid"):
        load_fixtures({pid: {**person, "hprNummer": "x"}})
    with pytest.raises(ValueError, match="not valid"):
        load_fixtures({pid: {**person, "godkjenninger": [{"periode": {"fra": "soon"}}]}})


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2020-01-31", dt.date(2020, 1, 31)), ("2020-01-31T12:00:00", dt.date(2020, 1, 31))],
)
def test_register_dates(text: str, expected: dt.date) -> None:
    assert parse_hpr_date(text) == expected


@pytest.mark.parametrize("text", ["2020-1-31", "31.01.2020", "2020-01-31T", "2020-02-30", ""])
def test_bad_register_dates(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is not the point
        parse_hpr_date(text)


def test_a_record_needs_a_positive_hpr_number() -> None:
    with pytest.raises(msgspec.ValidationError, match="positive"):
        msgspec.convert({"hprNummer": 0, "person": {}}, HprRecord)
