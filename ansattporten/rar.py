"""Representation: what the authoritative registers say a person may act for.

The provider's side of RFC 9396, and the only part of the provider that talks to the
sources. Each requested object is parsed once, by the source that owns its `type`, when
the request arrives; lookups fan out to every source of the login at once, each under
its own deadline; the picker offers the union; the person's choice is re-checked with
the registers before anything is granted. Any register that fails or is late fails the
whole login closed: a token with missing or guessed rights is worse than no token.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from ansattporten.errors import InvalidAuthorizationDetails, TemporarilyUnavailable
from ansattporten.records import Authentication, Offer, Party, Requested, SourceTiming
from ansattporten.records.login import NO_IDENTIFIER
from authz_sources import (
    AuthzSource,
    InvalidDetail,
    NotEligible,
    RequestedDetail,
    SourceUnavailable,
    Subject,
    identifiers_of,
)
from authz_sources.protocol import ChecksTogether

__all__ = [
    "NO_IDENTIFIER",
    "Granted",
    "RegisterRefused",
    "RegisterUnavailable",
    "Representation",
    "SourceTiming",
    "Subject",
]

T = TypeVar("T")


class RegisterUnavailable(TemporarilyUnavailable):
    """A register failed or was late; carries the timings for the audit record."""

    def __init__(self, description: str, timings: Sequence[SourceTiming]) -> None:
        super().__init__(description)
        self.timings = tuple(timings)


class RegisterRefused(Exception):
    """A register said no (`NotEligible`): a choice it does not confirm, or a person
    without an approval the service requires. `reason` is the register's message,
    which is safe to show to the person."""

    def __init__(self, reason: str, timings: Sequence[SourceTiming] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timings = tuple(timings)


class NoIdentifier(RegisterRefused):
    """A register that answers about the person (HPR) cannot look this person up: they
    have no identifier it knows people by (no Norwegian number)."""

    def __init__(self, timings: Sequence[SourceTiming]) -> None:
        super().__init__(
            "the register cannot look up a person without the identifier it needs", timings
        )


class Granted:
    """What a choice turned into: the `authorization_details` for the token, the parties
    chosen, and how the registers answered."""

    __slots__ = ("chosen", "details", "timings")

    def __init__(
        self, details: list[dict[str, Any]], chosen: list[Party], timings: list[SourceTiming]
    ) -> None:
        self.details = details
        self.chosen = chosen
        self.timings = timings


class Representation:
    def __init__(
        self,
        sources: Sequence[AuthzSource[Any]],
        *,
        on_timing: Callable[[SourceTiming], None] | None = None,
    ) -> None:
        self.sources = {source.name: source for source in sources}
        self._on_timing = on_timing
        self._by_type = {t: source for source in sources for t in source.types}

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(self._by_type)

    @property
    def detail_types(self) -> Mapping[str, type[RequestedDetail]]:
        """For the store: the class each type's details are restored as."""
        return {
            t: cls for source in self.sources.values() for t, cls in source.detail_types.items()
        }

    async def aclose(self) -> None:
        for source in self.sources.values():
            await source.aclose()

    # parsing, once per request ---------------------------------------------------------

    def validate(self, details: Sequence[Mapping[str, Any]]) -> tuple[Requested, ...]:
        """Parse every object with the source that owns its type, then apply the rules
        across objects. Raises InvalidAuthorizationDetails naming the offending entry."""
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
        self._check_per_source(requested)
        return tuple(requested)

    def _check_across_objects(self, requested: Sequence[Requested]) -> None:
        """The shared fields' rules across objects; the error names the first object
        that breaks one."""
        organisation_type: str | None = None
        form: str | None = None
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

    def _check_per_source(self, requested: Sequence[Requested]) -> None:
        """A source's own rules across its objects (`ChecksTogether`)."""
        for name, source in self.sources.items():
            if not isinstance(source, ChecksTogether):
                continue
            positions = [i for i, item in enumerate(requested) if item.source == name]
            if len(positions) < 2:
                continue
            try:
                source.check_together([requested[i].detail for i in positions])
            except InvalidDetail as exc:
                at = positions[exc.index] if exc.index is not None else positions[-1]
                raise InvalidAuthorizationDetails(f"authorization_details[{at}]: {exc}") from None

    def _source_of(self, item: Requested) -> AuthzSource[Any]:
        """The source that owns the object's type now (routing is by type, so a source
        renamed in settings since the login began still answers)."""
        return self._by_type[item.detail.type]

    def _answers_about_organisations(self, item: Requested) -> bool:
        return self._source_of(item).answers_about == "organisations"

    def _check_enabled(self, requested: Sequence[Requested]) -> None:
        """A login that began before a source was disabled cannot be answered for: it
        fails closed, as when the register is down."""
        if any(item.detail.type not in self._by_type for item in requested):
            raise RegisterUnavailable("a register this login needs is no longer enabled", ())

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

    # who the registers are asked about -----------------------------------------------

    @staticmethod
    def subject(authentication: Authentication, client_id: str, locale: str) -> Subject:
        """The person as the sources see them, with every identifier the eID gave."""
        person = authentication.person
        return Subject(
            client_id=client_id,
            pid=person.pid,
            locale=locale,
            acr=authentication.acr,
            eid=authentication.eid,
            eidas_person_identifier=person.eidas_person_identifier,
            email=person.email,
            entra_tid=person.entra_tid,
            entra_oid=person.entra_oid,
            given_name=person.given_name,
            family_name=person.family_name,
            birthdate=person.birthdate,
            groups=person.groups,
        )

    def can_look_up(self, subject: Subject, item: Requested) -> bool:
        """Whether the register behind `item` knows people by an identifier the person
        has (Altinn and HPR know only Norwegian numbers)."""
        return subject.answerable_by(identifiers_of(self._source_of(item)))

    def _not_asked(self, item: Requested) -> SourceTiming:
        timing = SourceTiming(self._source_of(item).name, item.detail.type, 0.0, NO_IDENTIFIER)
        if self._on_timing is not None:
            self._on_timing(timing)
        return timing

    # lookups ---------------------------------------------------------------------------

    async def lookup(self, subject: Subject, requested: Sequence[Requested]) -> Offer:
        """Ask every organisation source concurrently, and run every person source's
        check early so a person without a required approval learns it before picking.
        Raises RegisterUnavailable or RegisterRefused."""
        self._check_enabled(requested)
        skipped = [item for item in requested if not self.can_look_up(subject, item)]
        unfit = [item for item in skipped if not self._answers_about_organisations(item)]
        if unfit:
            raise NoIdentifier([self._not_asked(item) for item in unfit])
        calls: list[tuple[Requested, Awaitable[Any]]] = []
        for item in requested:
            source = self._source_of(item)
            if item in skipped:
                continue
            if self._answers_about_organisations(item):
                calls.append((item, source.find_parties(subject, item.detail)))
            else:
                calls.append((item, source.grant(subject, item.detail, ())))
        results, timings = await self._fan_out(calls) if calls else ([], [])
        answered = {
            id(item): tuple(result) if self._answers_about_organisations(item) else ()
            for (item, _), result in zip(calls, results, strict=True)
        }
        parties = tuple(answered.get(id(item), ()) for item in requested)
        timings.extend(self._not_asked(item) for item in skipped)
        return Offer(parties=parties, timings=tuple(timings))

    async def grant(
        self,
        subject: Subject,
        requested: Sequence[Requested],
        offer: Offer,
        chosen_orgnos: Iterable[str],
    ) -> Granted:
        """Turn a choice into the granted `authorization_details`.

        Only parties the registers offered can be chosen, and each source re-checks its
        part. No choice means the person represents themself. Raises RegisterRefused for
        a choice that was not offered, several choices where one is allowed, or a choice
        the registers no longer confirm."""
        self._check_enabled(requested)
        offered = {party.orgno: party for party in offer.selectable()}
        chosen: list[Party] = []
        for orgno in dict.fromkeys(chosen_orgnos):
            party = offered.get(orgno)
            if party is None:
                raise RegisterRefused("the chosen organisation was not among those offered")
            chosen.append(party)
        if len(chosen) > 1 and not self.allows_multiple(requested):
            raise RegisterRefused("only one organisation may be chosen for this service")
        if not chosen and offered and self.requires_representation(requested):
            raise RegisterRefused("this service requires you to represent an organisation")
        calls: list[tuple[Requested, Awaitable[Any]]] = []
        unasked: dict[int, dict[str, Any]] = {}
        for item, parties in zip(requested, offer.parties, strict=True):
            source = self._source_of(item)
            if not self.can_look_up(subject, item):
                if not self._answers_about_organisations(item):
                    raise NoIdentifier([self._not_asked(item)])
                if not chosen:  # as for a person who represents themself: only `type`
                    unasked[id(item)] = {"type": item.detail.type}
                continue
            if self._answers_about_organisations(item):
                holders = [p for p in chosen if p.orgno in {q.orgno for q in parties}]
                if chosen and not holders:
                    continue
                calls.append((item, source.grant(subject, item.detail, holders)))
            else:
                calls.append((item, source.grant(subject, item.detail, ())))
        results, timings = await self._fan_out(calls) if calls else ([], [])
        answers = {id(item): result for (item, _), result in zip(calls, results, strict=True)}
        answers.update(unasked)
        granted = [
            answer for answer in (answers.get(id(item)) for item in requested) if answer is not None
        ]
        if chosen and not any(
            result is not None
            for (item, _), result in zip(calls, results, strict=True)
            if self._answers_about_organisations(item)
        ):
            raise RegisterRefused("the register no longer confirms the chosen organisation")
        return Granted(granted, chosen, timings)

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
        failure: _Failed | RegisterRefused | BaseException | None = None
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                failure = failure or outcome
                if isinstance(outcome, _Failed | RegisterRefused):
                    timings.extend(outcome.timings)
                continue
            result, timing = outcome
            timings.append(timing)
            results.append(result)
        if isinstance(failure, RegisterRefused):
            raise RegisterRefused(failure.reason, timings) from failure.__cause__
        if failure is not None:
            raise RegisterUnavailable(
                "an authoritative register did not answer in time; try again later",
                timings,
            ) from failure
        return results, timings

    async def _timed(self, item: Requested, call: Awaitable[T]) -> tuple[T, SourceTiming]:
        source = self._source_of(item)
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
            raise RegisterRefused(str(exc), [timing("not_eligible")]) from exc
        except SourceUnavailable as exc:
            raise _Failed(timing("unavailable")) from exc
        except Exception as exc:  # a plugin's bug must fail closed, not crash the login
            raise _Failed(timing("error")) from exc
        return result, timing("ok")


class _Failed(Exception):
    def __init__(self, timing: SourceTiming) -> None:
        super().__init__(timing.outcome)
        self.timings = (timing,)
