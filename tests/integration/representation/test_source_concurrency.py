"""The registers of one login are asked at the same time, each under its own deadline
(DESIGN, "the source contract"): three registers that each take 300 ms cost one wait of
300 ms, not 900; a late one fails the lookup after its own deadline."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

import ansattporten.app
from ansattporten.rar import RegisterUnavailable, Representation
from authz_sources import Subject
from tests.support.login_driver import LoginDriver
from tests.support.provider import run_provider
from tests.support.representation import open_picker, redeem_details, to_picker
from tests.support.servers import serve_in_thread
from tests.support.slow_register import create_slow_register, parties_from_altinn_demo
from tests.support.slow_sources import SlowRegisterFactory, SlowRegisterSettings

DELAY_MS = 300
SEQUENTIAL_MS = 3 * DELAY_MS
CONCURRENT_LIMIT_MS = 700
KINDS = {
    "slow_orgs": ("test:slow:organisations", "organisations"),
    "slow_person_a": ("test:slow:person-a", "person"),
    "slow_person_b": ("test:slow:person-b", "person"),
}


@pytest.fixture(scope="module")
def registers(altinn_demo) -> Iterator[list[str]]:
    """Three slow registers, one per source."""
    parties = parties_from_altinn_demo(altinn_demo)
    with (
        serve_in_thread(create_slow_register(parties, delay_ms=DELAY_MS)) as first,
        serve_in_thread(create_slow_register(parties, delay_ms=DELAY_MS)) as second,
        serve_in_thread(create_slow_register(parties, delay_ms=DELAY_MS)) as third,
    ):
        yield [first, second, third]


def make_sources(registers, timeouts_ms=None):
    timeouts_ms = timeouts_ms or {}
    return [
        SlowRegisterFactory.create(
            name,
            SlowRegisterSettings(
                base_url=base_url,
                rar_type=rar_type,
                answers_about=about,
                timeout_ms=timeouts_ms.get(name, 2000),
            ),
        )
        for (name, (rar_type, about)), base_url in zip(KINDS.items(), registers, strict=True)
    ]


DETAILS = [{"type": rar_type} for rar_type, _ in KINDS.values()]


@pytest.fixture
def pid(altinn_people):
    return altinn_people["main_with_subunits"]


@pytest.fixture
def expected_orgnos(altinn_demo, pid):
    orgnos = {p["orgno"] for p in parties_from_altinn_demo(altinn_demo)[pid]}
    assert orgnos
    return orgnos


async def test_three_slow_sources_are_asked_concurrently(registers, pid, expected_orgnos):
    representation = Representation(make_sources(registers))
    try:
        requested = representation.validate(DETAILS)
        subject = Subject(pid=pid, client_id="confidential-service")

        started = time.perf_counter()
        lookup = await representation.lookup(subject, requested)
        elapsed_ms = (time.perf_counter() - started) * 1000
    finally:
        await representation.aclose()
    print(f"lookup with three {DELAY_MS} ms sources: {elapsed_ms:.0f} ms")

    assert DELAY_MS - 10 < elapsed_ms < CONCURRENT_LIMIT_MS < SEQUENTIAL_MS
    assert {t.source for t in lookup.timings} == set(KINDS)
    assert all(t.outcome == "ok" and t.ms >= DELAY_MS - 10 for t in lookup.timings)
    assert {party.orgno for party in lookup.selectable()} == expected_orgnos


async def test_each_source_has_its_own_deadline(registers, pid):
    late = "slow_person_a"
    representation = Representation(make_sources(registers, {late: 100}))
    try:
        requested = representation.validate(DETAILS)
        subject = Subject(pid=pid, client_id="confidential-service")

        started = time.perf_counter()
        with pytest.raises(RegisterUnavailable) as failure:
            await representation.lookup(subject, requested)
        elapsed_ms = (time.perf_counter() - started) * 1000
    finally:
        await representation.aclose()

    assert elapsed_ms < CONCURRENT_LIMIT_MS
    timings = {t.source: t for t in failure.value.timings}
    assert set(timings) == set(KINDS)
    assert timings[late].outcome == "timeout"
    assert 90 < timings[late].ms < DELAY_MS - 50
    assert all(timings[name].outcome == "ok" for name in KINDS if name != late)


@pytest.fixture
def slow_provider(registers, sqlite_url, monkeypatch):
    """A provider whose only sources are the three slow ones (sources are normally found
    through entry points; the test replaces that one step)."""
    monkeypatch.setattr(ansattporten.app, "create_sources", lambda config: make_sources(registers))
    with run_provider(sqlite_url) as running:
        yield running


def test_the_picker_step_waits_for_the_slowest_source_only(slow_provider, pid, expected_orgnos):
    driver = LoginDriver(slow_provider.base_url)
    try:
        picker = to_picker(driver, DETAILS, pid)

        started = time.perf_counter()
        page = open_picker(driver, picker)
        elapsed_ms = (time.perf_counter() - started) * 1000
        print(f"picker GET with three {DELAY_MS} ms sources: {elapsed_ms:.0f} ms")

        assert DELAY_MS - 10 < elapsed_ms < CONCURRENT_LIMIT_MS
        assert set(page.parties) == expected_orgnos
        chosen = sorted(expected_orgnos)[0]
        tokens = redeem_details(driver, driver.choose(picker, parties=[chosen]))
    finally:
        driver.close()

    by_type = {detail["type"]: detail for detail in tokens["authorization_details"]}
    assert set(by_type) == {rar_type for rar_type, _ in KINDS.values()}
    [organisations] = [by_type[t] for t, about in KINDS.values() if about == "organisations"]
    assert [p["orgno"] for p in organisations["authorized_parties"]] == [chosen]
    for rar_type, about in KINDS.values():
        if about == "person":
            assert by_type[rar_type]["register_parties"] == len(expected_orgnos)
