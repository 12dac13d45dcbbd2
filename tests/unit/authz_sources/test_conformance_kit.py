"""The conformance kit catches each kind of contract breach, and passes a good source."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from authz_sources import InvalidDetail, NotEligible, Party, RequestedDetail, Subject
from authz_sources.testing import (
    ConformanceError,
    ConformanceReport,
    check_source,
    run_check_source,
)

TYPE = "example:thing"
FLAGS = (
    "allow_multiple_organizations",
    "allow_deleted_organizations",
    "representation_is_required",
)
SUBJECT = Subject(pid="01817512345", client_id="conformance")
VALID = [{"type": TYPE, "thing": "x"}]
INVALID = [{"type": TYPE}]


class GoodSource:
    """A small, correct organisation source."""

    name = "example"
    types = (TYPE,)

    answers_about = "organisations"
    timeout_seconds = 1.0

    def __init__(self) -> None:
        self.detail_types = {TYPE: RequestedDetail}
        self.closed = 0
        self.parties = [
            Party(orgno="310000001", name="HEADER AS", selectable=False),
            Party(orgno="310000002", name="BRANCH", parent_orgno="310000001", rights=("x",)),
        ]

    def parse_detail(self, raw: Mapping[str, Any]) -> RequestedDetail:
        unknown = set(raw) - {"type", "thing", "organizationform", *FLAGS}
        if unknown:
            raise InvalidDetail(f"unknown field {sorted(unknown)[0]}")
        if not isinstance(raw.get("thing"), str):
            raise InvalidDetail("`thing` must be a string")
        flags: dict[str, bool] = {}
        for flag in FLAGS:
            value = raw.get(flag, False)
            if value not in (True, False, "true", "false"):
                raise InvalidDetail(f"{flag} must be a boolean")
            flags[flag] = value in (True, "true")
        form = raw.get("organizationform")
        if form not in (None, "enterprise", "business"):
            raise InvalidDetail("organizationform must be enterprise or business")
        return RequestedDetail(type=TYPE, organizationform=form, raw=dict(raw), **flags)

    async def find_parties(self, subject: Subject, detail: RequestedDetail) -> list[Party]:
        return list(self.parties)

    async def grant(
        self, subject: Subject, detail: RequestedDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        if not chosen:
            return {"type": detail.type}
        offered = {p.orgno for p in self.parties if p.selectable}
        if any(p.orgno not in {q.orgno for q in self.parties} for p in chosen):
            raise NotEligible("not offered")
        granted = [p.orgno for p in chosen if p.orgno in offered]
        return {"type": detail.type, "orgnos": granted} if granted else None

    async def check_health(self) -> None:
        return None

    async def aclose(self) -> None:
        self.closed += 1


async def run(source: object, **overrides: Any) -> ConformanceReport:
    kwargs: dict[str, Any] = {
        "subject": SUBJECT,
        "valid_details": VALID,
        "invalid_details": INVALID,
        "expect_parties": True,
    }
    return await check_source(source, **{**kwargs, **overrides})  # type: ignore[arg-type]


def failed(report: ConformanceReport) -> str:
    return "\n".join(f"{r.name}: {r.message}" for r in report.failures)


async def test_a_good_source_passes_and_is_closed() -> None:
    source = GoodSource()
    report = await run(source)
    assert report.ok, str(report)
    report.assert_ok()
    assert source.closed == 2
    assert len(report.results) > 20


async def test_close_false_keeps_the_source_open() -> None:
    source = GoodSource()
    await run(source, close=False)
    assert source.closed == 0


class LenientSource(GoodSource):
    def parse_detail(self, raw: Mapping[str, Any]) -> RequestedDetail:
        return RequestedDetail(type=TYPE, raw=dict(raw))


async def test_lenient_parsing_is_caught() -> None:
    text = failed(await run(LenientSource()))
    assert "rejects an unknown field" in text
    assert "rejects `organizationform` as a number" in text
    assert "rejects invalid detail #1: accepted it" in text


class CrashingParser(GoodSource):
    def parse_detail(self, raw: Mapping[str, Any]) -> RequestedDetail:
        if "thing" not in raw:
            raise KeyError("thing")
        return super().parse_detail(raw)


async def test_wrong_exception_type_is_caught() -> None:
    text = failed(await run(CrashingParser()))
    assert "raised KeyError instead of InvalidDetail" in text


class VagueSource(GoodSource):
    def parse_detail(self, raw: Mapping[str, Any]) -> RequestedDetail:
        try:
            return super().parse_detail(raw)
        except InvalidDetail:
            raise InvalidDetail("invalid") from None


async def test_messages_must_name_the_field() -> None:
    text = failed(await run(VagueSource()))
    assert "should name 'conformance_unknown_field'" in text


class GrantsAnything(GoodSource):
    async def grant(
        self, subject: Subject, detail: RequestedDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        return {"type": detail.type, "orgnos": [p.orgno for p in chosen]}


async def test_granting_what_was_never_offered_is_caught() -> None:
    text = failed(await run(GrantsAnything()))
    assert "grant refuses a party never offered" in text
    assert "grant refuses an offered and a never-offered party" in text
    assert "grant refuses a non-selectable party" in text


class BadParties(GoodSource):
    async def find_parties(self, subject: Subject, detail: RequestedDetail) -> list[Party]:
        return [Party(orgno="12345", name=""), Party(orgno="12345", name="X")]


async def test_malformed_parties_are_caught() -> None:
    text = failed(await run(BadParties()))
    assert "orgno '12345' is not 9 digits" in text
    assert "empty name" in text
    assert "listed twice" in text


class Unserialisable(GoodSource):
    async def grant(
        self, subject: Subject, detail: RequestedDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        result = await super().grant(subject, detail, chosen)
        return None if result is None else {**result, "at": datetime.date(2024, 1, 1)}


async def test_non_json_grants_are_caught() -> None:
    assert "not JSON-serialisable" in failed(await run(Unserialisable()))


class WrongType(GoodSource):
    async def grant(
        self, subject: Subject, detail: RequestedDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        return {"type": "something:else"}


async def test_grant_must_echo_the_type() -> None:
    text = failed(await run(WrongType()))
    assert "grant with no party returns an object of the type" in text
    assert "grant with an offered party includes it" in text


class Slow(GoodSource):
    timeout_seconds = 0.05

    async def find_parties(self, subject: Subject, detail: RequestedDetail) -> list[Party]:
        await asyncio.sleep(1)
        return []


async def test_calls_over_the_deadline_are_caught() -> None:
    assert "did not finish within timeout_seconds (0.05 s)" in failed(await run(Slow()))


class Unhealthy(GoodSource):
    async def check_health(self) -> None:
        raise RuntimeError("register down")


async def test_failing_health_check_is_caught() -> None:
    assert "check_health passes: raised RuntimeError: register down" in failed(
        await run(Unhealthy())
    )


class SyncMethods(GoodSource):
    timeout_seconds = 0  # type: ignore[assignment]
    types = ()  # type: ignore[assignment]

    def check_health(self) -> None:  # type: ignore[override]
        return None


async def test_bad_attributes_and_sync_methods_are_caught() -> None:
    text = failed(await run(SyncMethods()))
    assert "check_health is a coroutine function" in text
    assert "timeout_seconds is a number" in text
    assert "types is a non-empty tuple" in text


async def test_something_that_is_not_a_source_stops_early() -> None:
    report = await run(object())
    assert not report.ok
    assert [r.name for r in report.results] == ["implements the AuthzSource protocol"]


async def test_expect_parties_is_checked_both_ways() -> None:
    class Empty(GoodSource):
        async def find_parties(self, subject: Subject, detail: RequestedDetail) -> list[Party]:
            return []

    assert "find_parties offers parties" in failed(await run(Empty()))
    assert (await run(Empty(), expect_parties=False)).ok
    assert "find_parties offers no party" in failed(await run(GoodSource(), expect_parties=False))


class PersonSource(GoodSource):
    answers_about = "person"

    def parse_detail(self, raw: Mapping[str, Any]) -> RequestedDetail:
        if set(raw) != {"type", "thing"} or not isinstance(raw["thing"], str):
            raise InvalidDetail("unknown field conformance_unknown_field or bad `thing`")
        return RequestedDetail(type=TYPE, raw=dict(raw))

    async def find_parties(self, subject: Subject, detail: RequestedDetail) -> list[Party]:
        return []

    async def grant(
        self, subject: Subject, detail: RequestedDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        return {"type": detail.type, "approvals": ["LE"]}


async def test_person_sources_are_checked_without_parties() -> None:
    report = await run(PersonSource(), expect_parties=False)
    assert report.ok, str(report)
    with pytest.raises(ValueError, match="expect_parties=False"):
        await run(PersonSource(), expect_parties=True)


async def test_the_kit_needs_a_valid_detail() -> None:
    with pytest.raises(ValueError, match="at least one valid detail"):
        await run(GoodSource(), valid_details=[])


async def test_assert_ok_lists_failures_as_an_assertion_error() -> None:
    report = await run(GrantsAnything())
    with pytest.raises(AssertionError) as caught:
        report.assert_ok()
    assert isinstance(caught.value, ConformanceError)
    first_line, *rest = str(caught.value).splitlines()
    assert "failed" in first_line
    assert rest[0].startswith("  FAIL ")


def test_runs_without_pytest_asyncio() -> None:
    report = run_check_source(
        GoodSource(), subject=SUBJECT, valid_details=VALID, invalid_details=INVALID
    )
    assert report.ok, str(report)
