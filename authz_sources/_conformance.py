"""Machinery of the conformance kit (`authz_sources.testing`): the report, the runner
that times calls, the invalid inputs derived from a valid detail, and shape checks."""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec

from authz_sources.protocol import AuthzSource
from authz_sources.types import Party, RequestedDetail

SHARED_FLAGS = (
    "allow_multiple_organizations",
    "allow_deleted_organizations",
    "representation_is_required",
)
UNKNOWN_FIELD = "conformance_unknown_field"
_ORGNO = re.compile(r"\d{9}")
T = TypeVar("T")


def is_positive_number(value: object) -> bool:
    """An int or float (not a bool) above zero."""
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


class ConformanceError(AssertionError):
    """Raised by `ConformanceReport.assert_ok`; the message lists every failed check."""


@dataclass(frozen=True)
class CheckResult:
    """One check: what was checked, and why it failed."""

    name: str
    passed: bool
    message: str = ""


@dataclass
class ConformanceReport:
    """Everything `check_source` found, in the order it was checked."""

    source_name: str
    results: list[CheckResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return not self.failures

    @property
    def failures(self) -> list[CheckResult]:
        """The failed checks."""
        return [result for result in self.results if not result.passed]

    def assert_ok(self) -> None:
        """Raise ConformanceError describing every failure (nothing if all passed)."""
        if self.failures:
            raise ConformanceError(str(self))

    def __str__(self) -> str:
        lines = [
            f"conformance of source {self.source_name!r}: "
            f"{len(self.results)} checks, {len(self.failures)} failed"
        ]
        ordered = self.failures + [r for r in self.results if r.passed]
        for result in ordered:
            status = "PASS" if result.passed else "FAIL"
            suffix = f": {result.message}" if result.message else ""
            lines.append(f"  {status} {result.name}{suffix}")
        return "\n".join(lines)


class Run:
    """Records checks and runs source calls under the source's own deadline."""

    def __init__(self, source: Any, report: ConformanceReport) -> None:
        self.source = source
        self.report = report
        timeout: Any = getattr(source, "timeout_seconds", None)
        self.timeout = float(timeout) if is_positive_number(timeout) else 10.0

    def record(self, name: str, passed: bool, message: str = "") -> bool:
        """Add one check to the report; returns `passed` so callers can branch on it."""
        self.report.results.append(CheckResult(name, passed, "" if passed else message))
        return passed

    async def call(self, name: str, call: Callable[[], Awaitable[T]]) -> tuple[bool, T | None]:
        """Run `call` under the deadline and record the check `name`: passed when it
        returns, failed on a timeout or an exception."""
        try:
            result = await asyncio.wait_for(call(), self.timeout)
        except TimeoutError:
            message = f"did not finish within timeout_seconds ({self.timeout:g} s)"
        except Exception as exc:
            message = f"raised {type(exc).__name__}: {exc}"
        else:
            self.record(name, True)
            return True, result
        self.record(name, False, message)
        return False, None


def with_string_flags(
    raw: Mapping[str, Any], *, add_missing: bool
) -> tuple[dict[str, Any], dict[str, bool]]:
    """`raw` with its boolean shared flags as "true"/"false" strings (and, for
    organisation sources, absent flags added as "false"); plus the expected values."""
    variant = dict(raw)
    expected: dict[str, bool] = {}
    for flag in SHARED_FLAGS:
        value = raw.get(flag, False if add_missing else None)
        if isinstance(value, bool):
            variant[flag] = "true" if value else "false"
            expected[flag] = value
    return variant, expected


def detail_variants(
    raw: Mapping[str, Any], *, organisations: bool
) -> list[tuple[str, dict[str, Any], str]]:
    """Invalid variants of a valid detail: (what is wrong, the object, the field name the
    error message must contain)."""
    variants = [("an unknown field", {**raw, UNKNOWN_FIELD: 1}, UNKNOWN_FIELD)]
    if organisations:
        for flag in SHARED_FLAGS:
            variants.append((f"`{flag}` as a number", {**raw, flag: 42}, flag))
            variants.append((f'`{flag}` as "maybe"', {**raw, flag: "maybe"}, flag))
        variants.append(
            ("`organizationform` as a number", {**raw, "organizationform": 7}, "organizationform")
        )
        variants.append(
            (
                '`organizationform` = "neither"',
                {**raw, "organizationform": "neither"},
                "organizationform",
            )
        )
    for key, value in raw.items():
        if key != "type" and isinstance(value, str):
            variants.append((f"`{key}` as a JSON object", {**raw, key: {"unexpected": 1}}, key))
    return variants


def _non_string_key(value: Any) -> bool:
    """JSON object keys must be strings; json.dumps would silently stringify others."""
    if isinstance(value, dict):
        return any(not isinstance(k, str) or _non_string_key(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_non_string_key(item) for item in value)
    return False


def json_problem(result: Any) -> str | None:
    """Why `result` cannot go into a JSON token unchanged, or None."""
    try:
        json.dumps(result, allow_nan=False)
    except (TypeError, ValueError) as exc:
        return f"not JSON-serialisable: {exc}"
    if _non_string_key(result):
        return "has a non-string object key"
    return None


def grant_leaks(result: Any, orgno: str) -> bool:
    """Whether a grant result mentions `orgno` anywhere (it then grants it)."""
    if result is None:
        return False
    try:
        return orgno in json.dumps(result, default=str)
    except (TypeError, ValueError):
        return orgno in repr(result)


def party_problems(parties: Any, *, person: bool) -> list[str]:
    """What is wrong with a find_parties answer (empty when nothing)."""
    if not isinstance(parties, list):
        return [f"expected a list, got {type(parties).__name__}"]
    if person and parties:
        return ["a person-answering source must return no parties"]
    problems: list[str] = []
    seen: set[str] = set()
    for index, party in enumerate(parties):
        if not isinstance(party, Party):
            problems.append(f"item {index} is a {type(party).__name__}, not a Party")
            continue
        if not (isinstance(party.orgno, str) and _ORGNO.fullmatch(party.orgno)):
            problems.append(f"item {index}: orgno {party.orgno!r} is not 9 digits")
        if party.parent_orgno is not None and not _ORGNO.fullmatch(str(party.parent_orgno)):
            problems.append(f"item {index}: parent_orgno {party.parent_orgno!r} is not 9 digits")
        if not (isinstance(party.name, str) and party.name):
            problems.append(f"item {index}: empty name")
        if not all(isinstance(right, str) for right in party.rights):
            problems.append(f"item {index}: rights must be strings")
        if party.orgno in seen:
            problems.append(f"item {index}: orgno {party.orgno} listed twice")
        seen.add(party.orgno)
    return problems


def restores(detail_types: Mapping[str, type[RequestedDetail]], detail: RequestedDetail) -> bool:
    """What the provider does with a parsed detail: encode it with the login, and decode
    it as `detail_types[type]`; it must come back equal."""
    declared = detail_types.get(detail.type)
    if declared is None or type(detail) is not declared:
        return False
    try:
        return msgspec.convert(msgspec.to_builtins(detail), declared) == detail
    except (msgspec.ValidationError, TypeError):
        return False


_ASYNC_METHODS = ("find_parties", "grant", "check_health", "aclose")


def check_shape(run: Run) -> bool:
    """The protocol and the attributes; False when nothing else can be checked."""
    source = run.source
    if not run.record(
        "implements the AuthzSource protocol",
        isinstance(source, AuthzSource),
        "missing one of name, types, detail_types, answers_about, timeout_seconds, "
        "parse_detail, find_parties, grant, check_health, aclose",
    ):
        return False
    for method in _ASYNC_METHODS:
        run.record(
            f"{method} is a coroutine function",
            inspect.iscoroutinefunction(getattr(source, method)),
            f"{method} must be `async def`",
        )
    run.record(
        "parse_detail is synchronous (pure, no I/O)",
        not inspect.iscoroutinefunction(source.parse_detail),
        "parse_detail must be a plain function",
    )
    run.record(
        "name is a non-empty string",
        isinstance(source.name, str) and bool(source.name),
        f"got {source.name!r}",
    )
    types = source.types
    run.record(
        "types is a non-empty tuple of distinct non-empty strings",
        isinstance(types, tuple)
        and bool(types)
        and all(isinstance(t, str) and t for t in types)
        and len(set(types)) == len(types),
        f"got {types!r}",
    )
    detail_types: Any = source.detail_types
    run.record(
        "detail_types names a RequestedDetail class for each of types, and nothing else",
        isinstance(detail_types, Mapping)
        and set(detail_types) == set(types)
        and all(
            isinstance(c, type) and issubclass(c, RequestedDetail) for c in detail_types.values()
        ),
        f"got {detail_types!r}",
    )
    run.record(
        'answers_about is "organisations" or "person"',
        source.answers_about in ("organisations", "person"),
        f"got {source.answers_about!r}",
    )
    timeout: Any = source.timeout_seconds
    run.record(
        "timeout_seconds is a number in (0, 30]",
        is_positive_number(timeout) and timeout <= 30,
        f"got {timeout!r}; the picker waits for the slowest source",
    )
    return True
