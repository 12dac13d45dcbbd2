"""Conformance kit: check your own source against the contract the provider relies on.

Run it against a source pointed at a test instance (or mock) of your register, with one
test person who can act for at least one organisation::

    import asyncio
    from authz_sources import Subject
    from authz_sources.testing import check_source

    report = asyncio.run(check_source(
        MySource("mine", settings),
        subject=Subject(pid="<synthetic pid>", client_id="conformance"),
        valid_details=[{"type": "myagency:thing", "thing": "x"}],
        invalid_details=[{"type": "myagency:thing"}],   # e.g. a required field missing
        expect_parties=True,
    ))
    print(report)          # every check, failures first
    report.assert_ok()     # raises ConformanceError (an AssertionError) listing failures

In pytest, ``(await check_source(...)).assert_ok()`` in an async test does the same.
Every check runs even when an earlier one fails, so one run shows everything to fix; only
checks that need an earlier result (a parsed detail, a party) are skipped. The source is
closed at the end (pass ``close=False`` to keep it).

What is checked: the `AuthzSource` protocol and sane attributes; `parse_detail` accepts
the valid details (also with the shared flags as "true"/"false" strings), returns the
class `detail_types` names for the type, which survives being stored, and raises
`InvalidDetail` — no other exception — for your invalid details, for an unknown field,
and for wrong JSON types; every call finishes within `timeout_seconds`; `find_parties`
returns `Party` objects with 9-digit organisation numbers; `grant` with no party returns
an object with the request's `type`, with an offered party includes it, and never grants
an organisation that was not offered (`not_offered_orgno`) or is not selectable; grant
results are JSON-serialisable; `check_health` passes; `aclose` works twice.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from authz_sources._conformance import (
    CheckResult,
    ConformanceError,
    ConformanceReport,
    Run,
    check_shape,
    detail_variants,
    grant_leaks,
    json_problem,
    party_problems,
    restores,
    with_string_flags,
)
from authz_sources.errors import InvalidDetail, NotEligible
from authz_sources.protocol import AuthzSource
from authz_sources.types import Party, RequestedDetail, Subject

__all__ = [
    "CheckResult",
    "ConformanceError",
    "ConformanceReport",
    "check_source",
    "run_check_source",
    "serving",
]


def _expect_invalid(run: Run, name: str, raw: Mapping[str, Any], must_mention: str = "") -> None:
    """parse_detail must raise InvalidDetail, with a message naming `must_mention`."""
    try:
        run.source.parse_detail(raw)
    except InvalidDetail as exc:
        message = str(exc)
        problem = "an empty message" if not message else f"the message {message!r}"
        run.record(
            name,
            bool(message) and must_mention in message,
            f"{problem} should name {must_mention!r}" if must_mention else problem,
        )
    except Exception as exc:
        run.record(name, False, f"raised {type(exc).__name__} instead of InvalidDetail: {exc}")
    else:
        run.record(name, False, "accepted it; expected InvalidDetail")


def _check_parse(run: Run, index: int, raw: Mapping[str, Any]) -> RequestedDetail | None:
    """Parse one valid detail and its variants; the parsed detail, or None."""
    label = f"valid detail #{index}"
    name = f"parse_detail accepts {label}"
    try:
        detail: Any = run.source.parse_detail(raw)
    except Exception as exc:
        run.record(name, False, f"raised {type(exc).__name__}: {exc}")
        return None
    if not run.record(
        name,
        isinstance(detail, RequestedDetail) and detail.type == raw.get("type"),
        f"returned {detail!r}; expected a RequestedDetail with the same type",
    ):
        return None
    run.record(
        f"the parsed {label} is kept and restored unchanged (detail_types)",
        restores(run.source.detail_types, detail),
        f"{type(detail).__name__} must be detail_types[{detail.type!r}], and survive "
        "msgspec encoding: the provider stores it with the login",
    )
    organisations = run.source.answers_about == "organisations"
    stringly, expected = with_string_flags(raw, add_missing=organisations)
    name = f"parse_detail accepts {label} with flags as strings"
    try:
        again = run.source.parse_detail(stringly)
    except Exception as exc:
        run.record(name, False, f"raised {type(exc).__name__}: {exc}")
    else:
        wrong = [flag for flag, value in expected.items() if getattr(again, flag, value) != value]
        run.record(name, not wrong, f'"true"/"false" read differently for {wrong}')
    for what, variant, must_mention in detail_variants(raw, organisations=organisations):
        _expect_invalid(run, f"parse_detail rejects {what} ({label})", variant, must_mention)
    return detail if isinstance(detail, RequestedDetail) else None


async def _grant_nothing(run: Run, subject: Subject, detail: RequestedDetail, label: str) -> None:
    """grant with no chosen party: the object with the request's type."""
    name = f"grant with no party returns an object of the type ({label})"
    try:
        result = await asyncio.wait_for(run.source.grant(subject, detail, []), run.timeout)
    except NotEligible as exc:  # a person source may lack the approval asked for
        person = run.source.answers_about == "person"
        run.record(name, person, f"raised NotEligible ({exc}); only a person source may")
        return
    except Exception as exc:
        run.record(name, False, f"raised {type(exc).__name__}: {exc}")
        return
    run.record(
        name, isinstance(result, dict) and result.get("type") == detail.type, f"got {result!r}"
    )
    problem = json_problem(result)
    run.record(f"grant result is JSON-serialisable ({label})", problem is None, problem or "")


async def _grant_offered(
    run: Run, subject: Subject, detail: RequestedDetail, party: Party, label: str
) -> None:
    """grant with an offered party: it is in the result."""
    ok, result = await run.call(
        f"grant with an offered party answers ({label})",
        lambda: run.source.grant(subject, detail, [party]),
    )
    if not ok:
        return
    run.record(
        f"grant with an offered party includes it ({label})",
        isinstance(result, dict)
        and result.get("type") == detail.type
        and grant_leaks(result, party.orgno),
        f"{party.orgno} is missing from {result!r}",
    )
    problem = json_problem(result)
    run.record(f"grant result is JSON-serialisable ({label})", problem is None, problem or "")


async def _grant_refused(
    run: Run, subject: Subject, detail: RequestedDetail, chosen: list[Party], name: str
) -> None:
    """The last chosen party must not be granted: None, left out, or NotEligible."""
    target = chosen[-1].orgno
    try:
        result = await asyncio.wait_for(run.source.grant(subject, detail, chosen), run.timeout)
    except NotEligible:
        run.record(name, True)
    except Exception as exc:
        run.record(name, False, f"raised {type(exc).__name__} instead of NotEligible: {exc}")
    else:
        run.record(name, not grant_leaks(result, target), f"granted {target}: {result!r}")


async def _check_grants(
    run: Run,
    subject: Subject,
    detail: RequestedDetail,
    parties: list[Party],
    label: str,
    not_offered: str,
) -> None:
    """grant with nothing, with an offered party, and with parties never offered."""
    await _grant_nothing(run, subject, detail, label)
    if run.source.answers_about == "person":
        return
    selectable = [party for party in parties if party.selectable]
    if selectable:
        await _grant_offered(run, subject, detail, selectable[0], label)
    intruder = Party(orgno=not_offered, name="NOT OFFERED")
    attempts = [("a party never offered", [intruder])]
    if selectable:
        attempts.append(("an offered and a never-offered party", [selectable[0], intruder]))
    headers = [party for party in parties if not party.selectable]
    if headers:
        attempts.append(("a non-selectable party", headers[:1]))
    for what, chosen in attempts:
        await _grant_refused(run, subject, detail, chosen, f"grant refuses {what} ({label})")


async def _check_detail(
    run: Run, subject: Subject, index: int, raw: Mapping[str, Any], not_offered: str
) -> int:
    """Everything about one valid detail; the number of selectable parties offered."""
    source = run.source
    label = f"detail #{index}"
    run.record(
        f"{label} has a type the source owns",
        raw.get("type") in source.types,
        f"{raw.get('type')!r} is not in {source.types!r}",
    )
    detail = _check_parse(run, index, raw)
    if detail is None:
        return 0
    ok, parties = await run.call(
        f"find_parties answers ({label})", lambda: source.find_parties(subject, detail)
    )
    if not ok:
        return 0
    problems = party_problems(parties, person=source.answers_about == "person")
    run.record(
        f"find_parties returns well-formed parties ({label})",
        not problems,
        "; ".join(problems[:5]),
    )
    found = [p for p in parties if isinstance(p, Party)] if isinstance(parties, list) else []
    await _check_grants(run, subject, detail, found, label, not_offered)
    return sum(1 for party in found if party.selectable)


async def check_source(
    source: AuthzSource[Any],
    *,
    subject: Subject,
    valid_details: Sequence[Mapping[str, Any]],
    invalid_details: Sequence[Mapping[str, Any]] = (),
    expect_parties: bool = True,
    not_offered_orgno: str = "999999999",
    close: bool = True,
) -> ConformanceReport:
    """Run every check against `source` for `subject` and return the report.

    `valid_details` are requested objects (as a client sends them) the source must accept;
    `invalid_details` ones it must reject with InvalidDetail. `expect_parties` says
    whether the subject can act for at least one organisation under the valid details
    (it must be False for a person-answering source, which offers no parties).
    `not_offered_orgno` is an organisation the subject certainly cannot act for.
    Raises ValueError only for misuse of the kit itself.
    """
    if not valid_details:
        raise ValueError("check_source needs at least one valid detail")
    report = ConformanceReport(str(getattr(source, "name", type(source).__name__)))
    run = Run(source, report)
    if not check_shape(run):
        return report
    if source.answers_about == "person" and expect_parties:
        raise ValueError("a person-answering source offers no parties; pass expect_parties=False")
    offered = 0
    for index, raw in enumerate(valid_details, start=1):
        offered += await _check_detail(run, subject, index, raw, not_offered_orgno)
    run.record(
        "find_parties offers parties" if expect_parties else "find_parties offers no party",
        (offered > 0) == expect_parties,
        f"{offered} selectable parties offered; expect_parties={expect_parties}",
    )
    for index, raw in enumerate(invalid_details, start=1):
        _expect_invalid(run, f"parse_detail rejects invalid detail #{index}", raw)
    await run.call("check_health passes", source.check_health)
    if close:
        await run.call("aclose works", source.aclose)
        await run.call("aclose works a second time", source.aclose)
    return report


def run_check_source(source: AuthzSource[Any], **kwargs: Any) -> ConformanceReport:
    """`check_source` for scripts that have no event loop (same keyword arguments)."""
    return asyncio.run(check_source(source, **kwargs))


@contextlib.contextmanager
def serving(app: Any, **options: Any) -> Iterator[str]:
    """Serve a mock register (an ASGI app) on a real loopback port until the block
    ends, yielding its base URL; see `authz_sources.mock_server` (the `mocks` extra)."""
    from authz_sources.mock_server import serving as serve

    with serve(app, **options) as base_url:
        yield base_url
