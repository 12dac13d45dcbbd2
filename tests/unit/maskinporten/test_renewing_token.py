"""The token cache: one fetch for many callers, renewal ahead of expiry, failures
closed but not hammering the issuer. A fake clock moves time; fetches are counted."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from authz_sources.errors import SourceUnavailable
from authz_sources.maskinporten.renewing_token import Issued, RenewingToken


class Issuer:
    """Hands out tokens `t1`, `t2`, ... living `lifetime` on the fake clock."""

    def __init__(self, lifetime: float = 100.0) -> None:
        self.now = 0.0
        self.lifetime = lifetime
        self.count = 0
        self.gate: asyncio.Event | None = None
        self.failing: Exception | None = None

    def clock(self) -> float:
        return self.now

    async def fetch(self) -> Issued:
        self.count += 1
        if self.gate is not None:
            await self.gate.wait()
        await asyncio.sleep(0)
        if self.failing is not None:
            raise self.failing
        return Issued(f"t{self.count}", self.now + self.lifetime)


@pytest.fixture
async def issuer() -> Issuer:
    return Issuer()


@pytest.fixture
async def cache(issuer: Issuer) -> AsyncIterator[RenewingToken]:
    token = RenewingToken(issuer.fetch, label="test", clock=issuer.clock, retry_after=1.0)
    yield token
    await token.aclose()


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_fifty_callers_without_a_token_share_one_fetch(
    issuer: Issuer, cache: RenewingToken
) -> None:
    tokens = await asyncio.gather(*(cache.get() for _ in range(50)))
    assert set(tokens) == {"t1"}
    assert issuer.count == 1 == cache.fetches


async def test_fifty_callers_after_expiry_share_one_fetch(
    issuer: Issuer, cache: RenewingToken
) -> None:
    assert await cache.get() == "t1"
    issuer.now = 500.0  # the process slept past expiry: nothing renewed it
    tokens = await asyncio.gather(*(cache.get() for _ in range(50)))
    assert set(tokens) == {"t2"}
    assert issuer.count == 2


async def test_renewal_starts_ahead_of_expiry_without_making_callers_wait(
    issuer: Issuer, cache: RenewingToken
) -> None:
    assert await cache.get() == "t1"
    issuer.now = 50.0
    assert await cache.get() == "t1"
    assert issuer.count == 1  # still fresh: nothing fetched
    issuer.now = 70.0  # past renew_at (100 - 100/3), still usable (until 95)
    issuer.gate = asyncio.Event()
    assert await cache.get() == "t1"  # handed out at once; the renewal runs behind
    assert await cache.get() == "t1"
    await settle()
    assert issuer.count == 2  # one renewal, not one per caller
    issuer.gate.set()
    await settle()
    assert await cache.get() == "t2"


async def test_the_timer_renews_without_any_caller() -> None:
    issuer = Issuer(lifetime=0.3)
    cache = RenewingToken(issuer.fetch, label="test")  # real monotonic clock
    try:
        assert await cache.get() == "t1"
        await asyncio.sleep(0.45)  # renew_at is 0.2 s after the fetch
        assert issuer.count >= 2
        assert await cache.get() != "t1"
    finally:
        await cache.aclose()


async def test_a_token_is_not_handed_out_in_its_last_moments(
    issuer: Issuer, cache: RenewingToken
) -> None:
    await cache.get()
    issuer.now = 96.0  # within the 5 s margin before expiry at 100
    assert await cache.get() == "t2"


async def test_failure_without_a_token_fails_closed_and_cools_down(
    issuer: Issuer, cache: RenewingToken
) -> None:
    issuer.failing = SourceUnavailable("Maskinporten down")
    with pytest.raises(SourceUnavailable, match="Maskinporten down"):
        await cache.get()
    results = await asyncio.gather(*(cache.get() for _ in range(20)), return_exceptions=True)
    assert all(isinstance(r, SourceUnavailable) for r in results)
    assert issuer.count == 1  # the outage is not hammered
    issuer.now += 1.5
    issuer.failing = None
    assert await cache.get() == "t2"


async def test_failed_renewal_keeps_the_usable_token(issuer: Issuer, cache: RenewingToken) -> None:
    await cache.get()
    issuer.now = 70.0
    issuer.failing = SourceUnavailable("down")
    assert await cache.get() == "t1"
    await settle()
    assert issuer.count == 2
    assert await cache.get() == "t1"  # still usable, failure cooling down
    issuer.now = 99.0
    with pytest.raises(SourceUnavailable):
        await cache.get()


async def test_a_caller_giving_up_does_not_cancel_the_fetch(
    issuer: Issuer, cache: RenewingToken
) -> None:
    issuer.gate = asyncio.Event()
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.01):
            await cache.get()
    waiting = asyncio.create_task(cache.get())
    await settle()
    issuer.gate.set()
    assert await waiting == "t1"
    assert issuer.count == 1


async def test_unexpected_errors_become_unavailable(issuer: Issuer, cache: RenewingToken) -> None:
    issuer.failing = KeyError("boom")
    with pytest.raises(SourceUnavailable, match="test: KeyError"):
        await cache.get()


async def test_a_refused_token_is_discarded(issuer: Issuer, cache: RenewingToken) -> None:
    assert await cache.get() == "t1"
    cache.discard("t0")  # not the current one: ignored
    assert await cache.get() == "t1"
    cache.discard("t1")
    assert await cache.get() == "t2"


def test_a_new_event_loop_keeps_the_token() -> None:
    issuer = Issuer()
    cache = RenewingToken(issuer.fetch, label="test", clock=issuer.clock)

    async def get() -> str:
        return await cache.get()

    assert asyncio.run(get()) == "t1"
    assert asyncio.run(get()) == "t1"
    assert issuer.count == 1
