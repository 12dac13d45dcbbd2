"""Representation: what the authoritative registers say a person may act for.

The provider's side of RFC 9396. Each requested object is validated by the source that
owns its `type`; lookups fan out to every source of the login at once, each under its
own deadline; the picker offers the union; the person's choice is re-checked with the
registers before anything is granted. Any register that fails or is late fails the
whole login closed: a token with missing or guessed rights is worse than no token.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import msgspec

from ansattporten.errors import InvalidAuthorizationDetails, TemporarilyUnavailable
from authz_sources import (
    AuthzSource,
    InvalidDetail,
    NotEligible,
    Party,
    RequestedDetail,
    SourceUnavailable,
    Subject,
)

T = TypeVar("T")


class SourceTiming(msgspec.Struct, frozen=True):
    """How one register answered, for the audit record and metrics."""

    source: str
    type: str
    ms: float
    outcome: str


class Lookup(msgspec.Struct, frozen=True, kw_only=True):
    """What the registers answered before the picker: eligible parties per requested
    object (same order as the request) and the timing of each call."""

    parties: list[list[Party]]
    timings: list[SourceTiming]

    def offered(self) -> list[Party]:
        """The union over all objects, one entry per organisation number; a party
        selectable under any object is selectable."""
        merged: dict[str, Party] = {}
        for parties in self.parties:
            for party in parties:
                known = merged.get(party.orgno)
                if known is None or (party.selectable and not known.selectable):
                    merged[party.orgno] = party
        return list(merged.values())

    def selectable(self) -> list[Party]:
        return [party for party in self.offered() if party.selectable]


class RegisterUnavailable(TemporarilyUnavailable):
    """A register failed or was late; carries the timings for the audit record."""

    def __init__(self, description: str, timings: list[SourceTiming]) -> None:
        super().__init__(description)
        self.timings = timings


class Requested(msgspec.Struct, frozen=True):
    """One validated object and the source that owns it."""

    source_name: str
    detail: RequestedDetail


class Representation:
    def __init__(
        self,
        sources: Sequence[AuthzSource],
        *,
        on_timing: Callable[[SourceTiming], None] | None = None,
    ) -> None:
        self.sources = {source.name: source for source in sources}
        self._on_timing = on_timing
        self._by_type = {t: source for source in sources for t in source.types}

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(self._by_type)

    async def aclose(self) -> None:
        for source in self.sources.values():
            await source.aclose()

    # validation ------------------------------------------------------------------------

    def validate(self, details: Sequence[Mapping[str, Any]]) -> list[Requested]:
        """Parse every object with its source, then apply the rules across objects.
        Raises InvalidAuthorizationDetails naming the offending entry."""
        requested: list[Requested] = []
        for index, raw in enumerate(details):
            source = self._by_type.get(str(raw.get("type")))
            if source is None:
                raise InvalidAuthorizationDetails(
                    f"authorization_details[{index}]: type {str(raw.get('type'))[:80]!r} "
                    "is not supported"
                )
            try:
                requested.append(Requested(source.name, source.parse_detail(raw)))
            except InvalidDetail as exc:
                raise InvalidAuthorizationDetails(
                    f"authorization_details[{index}]: {exc}"
                ) from None
        self._check_across_objects(requested)
        return requested

    def _check_across_objects(self, requested: Sequence[Requested]) -> None:
        """Rules across objects; the error names the first object that breaks one."""
        organisation_type: str | None = None
        form: str | None = None
        service_deleted: bool | None = None
        for index, item in enumerate(requested):
            detail, where = item.detail, f"authorization_details[{index}]"
            if self._answers_about_organisations(item):
                organisation_type = organisation_type or detail.type
                if detail.type != organisation_type:
                    raise InvalidAuthorizationDetails(
                        f"{where}: type {detail.type!r} cannot be combined with "
                        f"{organisation_type!r} in one request"
                    )
            if detail.organizationform is not None:
                form = form or detail.organizationform
                if detail.organizationform != form:
                    raise InvalidAuthorizationDetails(
                        f"{where}: organizationform differs from an earlier object"
                    )
            if detail.type == "ansattporten:altinn:service":
                if service_deleted is None:
                    service_deleted = detail.allow_deleted_organizations
                if detail.allow_deleted_organizations != service_deleted:
                    raise InvalidAuthorizationDetails(
                        f"{where}: allow_deleted_organizations differs from an earlier "
                        "ansattporten:altinn:service object"
                    )

    def _answers_about_organisations(self, item: Requested) -> bool:
        return self.sources[item.source_name].answers_about == "organisations"

    # flags over the whole request ----------------------------------------------------

    def allows_multiple(self, requested: Sequence[Requested]) -> bool:
        return any(
            item.detail.allow_multiple_organizations
            for item in requested
            if self._answers_about_organisations(item)
        )

    def requires_representation(self, requested: Sequence[Requested]) -> bool:
        return any(
            item.detail.representation_is_required
            for item in requested
            if self._answers_about_organisations(item)
        )

    def asks_for_organisation(self, requested: Sequence[Requested]) -> bool:
        return any(self._answers_about_organisations(item) for item in requested)

    # lookups ---------------------------------------------------------------------------

    async def lookup(self, subject: Subject, requested: Sequence[Requested]) -> Lookup:
        """Ask every organisation source concurrently, and run every person source's
        check early so a person without a required approval learns it before picking.
        Raises RegisterUnavailable or NotEligible."""
        calls: list[tuple[Requested, Awaitable[Any]]] = []
        for item in requested:
            source = self.sources[item.source_name]
            if self._answers_about_organisations(item):
                calls.append((item, source.find_parties(subject, item.detail)))
            else:
                calls.append((item, source.grant(subject, item.detail, ())))
        results, timings = await self._fan_out(calls)
        parties = [
            result if self._answers_about_organisations(item) else []
            for (item, _), result in zip(calls, results, strict=True)
        ]
        return Lookup(parties=parties, timings=timings)

    async def grant(
        self,
        subject: Subject,
        requested: Sequence[Requested],
        lookup: Lookup,
        chosen_orgnos: Iterable[str],
    ) -> tuple[list[dict[str, Any]], list[Party], list[SourceTiming]]:
        """Turn a choice into the granted `authorization_details`.

        Only parties the registers offered can be chosen, and each source re-checks its
        part. No choice means the person represents themself. Raises NotEligible for a
        choice that was not offered, several choices where one is allowed, or a choice the
        registers no longer confirm."""
        offered = {party.orgno: party for party in lookup.selectable()}
        chosen: list[Party] = []
        for orgno in dict.fromkeys(chosen_orgnos):
            party = offered.get(orgno)
            if party is None:
                raise NotEligible("the chosen organisation was not among those offered")
            chosen.append(party)
        if len(chosen) > 1 and not self.allows_multiple(requested):
            raise NotEligible("only one organisation may be chosen for this service")
        if not chosen and offered and self.requires_representation(requested):
            raise NotEligible("this service requires you to represent an organisation")
        calls: list[tuple[Requested, Awaitable[Any]]] = []
        for item, parties in zip(requested, lookup.parties, strict=True):
            source = self.sources[item.source_name]
            if self._answers_about_organisations(item):
                holders = [p for p in chosen if p.orgno in {q.orgno for q in parties}]
                picks: Sequence[Party] = holders if chosen else ()
                if chosen and not holders:
                    continue
                calls.append((item, source.grant(subject, item.detail, picks)))
            else:
                calls.append((item, source.grant(subject, item.detail, ())))
        results, timings = await self._fan_out(calls)
        granted = [result for result in results if result is not None]
        if chosen and not any(
            result is not None
            for (item, _), result in zip(calls, results, strict=True)
            if self._answers_about_organisations(item)
        ):
            raise NotEligible("the register no longer confirms the chosen organisation")
        return granted, chosen, timings

    async def _fan_out(
        self, calls: Sequence[tuple[Requested, Awaitable[T]]]
    ) -> tuple[list[T], list[SourceTiming]]:
        """Run the calls concurrently, each under its source's deadline.

        A single call (one register, the usual login) is awaited in this task: under
        load every task hand-over is one more wait behind all the other requests the
        event loop has ready, and a task per call plus `gather` cost four such waits
        between the register's answer and the picker (see `docs/architecture.md`)."""
        timed = [self._timed(item, call) for item, call in calls]
        outcomes: list[tuple[T, SourceTiming] | BaseException]
        if len(timed) == 1:
            try:
                outcomes = [await timed[0]]
            except Exception as exc:  # as gather's return_exceptions would keep it
                outcomes = [exc]
        else:
            outcomes = list(await asyncio.gather(*timed, return_exceptions=True))
        timings: list[SourceTiming] = []
        results: list[T] = []
        failure: BaseException | None = None
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                failure = failure or outcome
                continue
            result, timing = outcome
            timings.append(timing)
            results.append(result)
        if failure is not None:
            timings.extend(getattr(failure, "timings", []))
            if isinstance(failure, NotEligible):
                raise failure
            raise RegisterUnavailable(
                "an authoritative register did not answer in time; try again later",
                timings,
            ) from failure
        return results, timings

    async def _timed(self, item: Requested, call: Awaitable[T]) -> tuple[T, SourceTiming]:
        source = self.sources[item.source_name]
        started = time.perf_counter()

        def timing(outcome: str) -> SourceTiming:
            ms = round((time.perf_counter() - started) * 1000, 1)
            measured = SourceTiming(source.name, item.detail.type, ms, outcome)
            if self._on_timing is not None:
                self._on_timing(measured)
            return measured

        try:
            # a timeout scope, not wait_for: wait_for would run the call in a task of its own
            async with asyncio.timeout(source.timeout_seconds):
                result = await call
        except TimeoutError as exc:
            raise _Failed(timing("timeout")) from exc
        except NotEligible as exc:
            exc.timings = [timing("not_eligible")]  # type: ignore[attr-defined]
            raise
        except SourceUnavailable as exc:
            raise _Failed(timing("unavailable")) from exc
        except Exception as exc:  # a plugin's bug must fail closed, not crash the login
            raise _Failed(timing("error")) from exc
        return result, timing("ok")


class _Failed(Exception):
    def __init__(self, timing: SourceTiming) -> None:
        super().__init__(timing.outcome)
        self.timings = [timing]
