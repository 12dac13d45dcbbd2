"""The health personnel register as an `AuthzSource` answering about the person.

Nothing is offered in the organisation picker (`find_parties` is empty); at `grant` the
source looks the person up and puts their approvals that are valid today into the token.
"Today" is the date in Norway, where the register's dates are meant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from authz_sources.errors import NotEligible
from authz_sources.hpr.approvals import valid_approvals
from authz_sources.hpr.client import HprClient
from authz_sources.hpr.codes import PROFESSIONS
from authz_sources.hpr.detail import RAR_TYPE, HprDetail, granted_object, parse_hpr_detail
from authz_sources.hpr.settings import HprSettings
from authz_sources.shared import SourceBase
from authz_sources.types import Party, Subject


def today_in_norway() -> dt.date:
    """The calendar date in Europe/Oslo (UTC if the time-zone database is missing)."""
    try:
        zone: dt.tzinfo = ZoneInfo("Europe/Oslo")
    except ZoneInfoNotFoundError:
        zone = dt.UTC
    return dt.datetime.now(zone).date()


def _not_eligible_message(locale: str, professions: Sequence[str]) -> str:
    """What the person is told; it names the professions but nothing from the register."""
    names = ", ".join(PROFESSIONS[code] for code in professions)
    if locale == "en":
        wanted = f" as {names}" if names else ""
        return (
            f"The health personnel register (HPR) holds no valid approval for you{wanted}, "
            "and this service requires one."
        )
    if locale == "nn":
        wanted = f" som {names}" if names else ""
        return (
            "Helsepersonellregisteret (HPR) har ikkje nokon gyldig godkjenning for deg"
            f"{wanted}, og denne tenesta krev det."
        )
    wanted = f" som {names}" if names else ""
    return (
        f"Helsepersonellregisteret (HPR) har ingen gyldig godkjenning for deg{wanted}, "
        "og denne tjenesten krever det."
    )


class HprSource(SourceBase[HprDetail]):
    """`ansattporten:hpr`: the person's own approvals as health personnel."""

    answers_about: Literal["organisations", "person"] = "person"

    def __init__(
        self,
        name: str,
        settings: HprSettings,
        *,
        today: Callable[[], dt.date] = today_in_norway,
    ) -> None:
        super().__init__(name, {RAR_TYPE: HprDetail}, timeout_ms=settings.timeout_ms)
        self._today = today
        self._client = HprClient(settings, source=name)

    def parse_detail(self, raw: Mapping[str, Any]) -> HprDetail:
        return parse_hpr_detail(raw)

    async def find_parties(self, subject: Subject, detail: HprDetail) -> list[Party]:
        """Always empty: this register answers about the person, not organisations."""
        return []

    async def grant(
        self, subject: Subject, detail: HprDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        """The person's valid approvals (filtered by `professions`); `chosen` is ignored.

        Without a qualifying approval the object carries only `type`, or, when the
        client set `approval_is_required`, the login stops with `NotEligible`.
        """
        day = self._today()
        record = await self._client.person(subject.require_pid(), day)
        approvals = [] if record is None else valid_approvals(record, day, detail.professions)
        if record is None or not approvals:
            if detail.approval_is_required:
                raise NotEligible(_not_eligible_message(subject.locale, detail.professions))
            return {"type": RAR_TYPE}
        return granted_object(record, approvals, day)

    async def check_health(self) -> None:
        await self._client.ping()

    async def aclose(self) -> None:
        await self._client.aclose()
