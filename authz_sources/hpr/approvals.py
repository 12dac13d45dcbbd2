"""Which approvals count on a given day: pure functions, no I/O, no clock.

The register keeps history (expired licences, ended approvals, past suspensions), so the
source must decide what is valid itself. The rule (spec 9.1): an approval, or a right
hanging off it, is valid on day D when its period starts on or before D and ends on or
after D (no end = open), it has no end status, and no administrative reaction covers D.
A reaction on the person covers every approval they hold. Taking the day as an argument
keeps the rule testable at fixed dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from authz_sources.hpr.wire import AdministrativReaksjon, Godkjenning, HprRecord, Periode, Rettighet


def period_covers(periode: Periode, day: dt.date, *, open_start: bool) -> bool:
    """Whether `day` falls inside `periode` (both ends inclusive; no end = open).

    `open_start` says what a missing start means: for an approval it means we cannot
    tell when it began, so it does not count (fail closed); for a reaction it means
    "since ever", so it does count (also fail closed).
    """
    start, end = periode.start, periode.end
    if start is None:
        if not open_start:
            return False
    elif start > day:
        return False
    return end is None or day <= end


def reaction_in_force(reactions: Iterable[AdministrativReaksjon], day: dt.date) -> bool:
    """Whether any reaction covers `day`. Every kind counts: the register records only
    reactions that restrict practice, and guessing which ones are harmless would be
    failing open."""
    return any(period_covers(r.periode, day, open_start=True) for r in reactions)


def is_valid(item: Godkjenning | Rettighet, day: dt.date) -> bool:
    """The validity rule for one approval or one right, ignoring the person's reactions."""
    return (
        period_covers(item.periode, day, open_start=False)
        and item.avsluttet_status is None
        and not reaction_in_force(item.administrative_reaksjoner, day)
    )


def valid_rights(rights: Iterable[Rettighet], day: dt.date) -> list[Rettighet]:
    """The requisition rights or specialities that are valid on `day`."""
    return [right for right in rights if is_valid(right, day)]


def valid_approvals(
    record: HprRecord, day: dt.date, professions: Collection[str] = ()
) -> list[Godkjenning]:
    """The person's approvals valid on `day`, limited to `professions` when given.

    A reaction on the person (rather than on one approval) empties the list.
    """
    if reaction_in_force(record.administrative_reaksjoner, day):
        return []
    return [
        approval
        for approval in record.godkjenninger
        if is_valid(approval, day)
        and (not professions or approval.helsepersonellkategori.verdi in professions)
    ]
