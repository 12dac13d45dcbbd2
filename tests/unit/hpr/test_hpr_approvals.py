"""The validity rule at fixed dates, and the granted object built from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
import pytest

from authz_sources.hpr.approvals import is_valid, period_covers, valid_approvals
from authz_sources.hpr.detail import granted_object
from authz_sources.hpr.wire import (
    AdministrativReaksjon,
    Godkjenning,
    HprRecord,
    Periode,
    Person,
)

DAY = dt.date(2030, 6, 15)
SUSPENSION = {"type": {"verdi": "S", "navn": "Suspensjon"}}


def approval(profession: str = "LE", **fields: Any) -> Godkjenning:
    base: dict[str, Any] = {
        "helsepersonellkategori": {"verdi": profession, "navn": profession},
        "autorisasjon": {"verdi": "1", "navn": "Autorisasjon"},
        "periode": {"fra": "2010-01-01", "til": None},
    }
    return msgspec.convert({**base, **fields}, Godkjenning)


def record(*approvals: Godkjenning, reactions: list[dict[str, Any]] | None = None) -> HprRecord:
    return HprRecord(
        hpr_nummer=9144889,
        person=Person(nin="14838010041"),
        godkjenninger=approvals,
        administrative_reaksjoner=tuple(
            msgspec.convert(reaction, AdministrativReaksjon) for reaction in reactions or []
        ),
    )


@pytest.mark.parametrize(
    ("fra", "til", "covered"),
    [
        ("2030-06-15", None, True),  # starts today
        ("2030-06-16", None, False),  # starts tomorrow
        ("2010-01-01", "2030-06-15", True),  # ends today (inclusive)
        ("2010-01-01", "2030-06-14", False),  # ended yesterday
        ("2010-01-01", None, True),  # open-ended
        ("2010-01-01T00:00:00", "2031-01-01T00:00:00", True),  # timestamps
    ],
)
def test_period_bounds_are_inclusive(fra: str, til: str | None, covered: bool) -> None:
    assert period_covers(Periode(fra=fra, til=til), DAY, open_start=False) is covered


def test_a_missing_start_counts_against_an_approval_but_for_a_reaction() -> None:
    periode = Periode(fra=None, til="2040-01-01")
    assert period_covers(periode, DAY, open_start=False) is False
    assert period_covers(periode, DAY, open_start=True) is True


def test_valid_authorisation() -> None:
    assert is_valid(approval(), DAY)


def test_expired_licence() -> None:
    assert not is_valid(approval(periode={"fra": "2018-01-01", "til": "2020-12-31"}), DAY)


def test_ended_approval() -> None:
    ended = approval(avsluttetStatus={"verdi": "3", "navn": "Tilbakekalt"})
    assert not is_valid(ended, DAY)


@pytest.mark.parametrize(
    ("periode", "in_force"),
    [
        ({"fra": "2020-01-01", "til": "2070-12-31"}, True),
        ({"fra": "2020-01-01", "til": None}, True),
        ({"fra": "2020-01-01", "til": "2021-01-01"}, False),  # served and over
        ({"fra": "2031-01-01", "til": None}, False),  # not yet
    ],
)
def test_a_reaction_on_the_approval(periode: dict[str, Any], in_force: bool) -> None:
    suspended = approval(administrativeReaksjoner=[{**SUSPENSION, "periode": periode}])
    assert is_valid(suspended, DAY) is not in_force


def test_a_reaction_on_the_person_voids_every_approval() -> None:
    reaction = {**SUSPENSION, "periode": {"fra": "2029-01-01", "til": None}}
    person = record(approval("LE"), approval("SP"), reactions=[reaction])
    assert valid_approvals(person, DAY) == []
    assert len(valid_approvals(person, dt.date(2028, 12, 31))) == 2


def test_professions_filter() -> None:
    person = record(approval("SP"), approval("LE"))
    assert [a.helsepersonellkategori.verdi for a in valid_approvals(person, DAY)] == ["SP", "LE"]
    assert [a.helsepersonellkategori.verdi for a in valid_approvals(person, DAY, ["LE"])] == ["LE"]
    assert valid_approvals(person, DAY, ["PS"]) == []


def test_granted_object_filters_rights_by_the_same_rule() -> None:
    right = {"type": {"verdi": "1", "navn": "Full rekvisisjonsrett"}}
    doctor = approval(
        periode={"fra": "2010-01-01", "til": "2060-01-01"},
        rekvisisjonsretter=[
            {**right, "periode": {"fra": "2010-01-01", "til": None}},
            {
                **right,
                "periode": {"fra": "2010-01-01", "til": None},
                "avsluttetStatus": right["type"],
            },
        ],
        spesialistgodkjenninger=[
            {"type": {"verdi": "1", "navn": "Allmennmedisin"}, "periode": {"fra": "2015-01-01"}},
            {"type": {"verdi": "40", "navn": "Psykiatri"}, "periode": {"fra": "2031-01-01"}},
            {
                "type": {"verdi": "2", "navn": "Indremedisin"},
                "periode": {"fra": "2015-01-01"},
                "administrativeReaksjoner": [{**SUSPENSION, "periode": {"fra": "2030-01-01"}}],
            },
        ],
    )
    person = record(doctor)
    assert granted_object(person, valid_approvals(person, DAY), DAY) == {
        "type": "ansattporten:hpr",
        "hpr_number": "9144889",
        "approvals": [
            {
                "profession": "LE",
                "authorization": {"value": "1", "description": "Autorisasjon"},
                "valid_from": "2010-01-01",
                "valid_to": "2060-01-01",
                "requisition_rights": [{"value": "1", "description": "Full rekvisisjonsrett"}],
                "specialities": [{"value": "1", "description": "Allmennmedisin"}],
            }
        ],
    }
