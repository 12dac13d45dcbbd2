"""Isolated sessions and the back-channel logout queue in the store (SQLite): an
authentication rotates the presented session's cookie hash or starts a new one, a
service's new session replaces its old one, ending a session queues one delivery once,
and a delivery is claimed by one worker and finished only by it."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import msgspec
import pytest

from ansattporten.records import LogoutDelivery
from ansattporten.store import Store
from tests.unit.store.conftest import authentication, login, opening


@pytest.fixture
async def store(sqlite_file: str) -> AsyncIterator[Store]:
    opened = Store(f"sqlite:///{sqlite_file}")
    yield opened
    await opened.aclose()


async def authenticated(store: Store, tag: str, **options: object) -> None:
    await store.start_login(login(f"i-{tag}", stage="login"))
    assert await store.record_authentication(f"i-{tag}", authentication(), opening(tag, **options))  # type: ignore[arg-type]


def delivery(sid: str, now: float) -> LogoutDelivery:
    return LogoutDelivery(
        id=f"d-{sid}",
        client_id="service",
        uri="http://service.test/bc",
        sub="sub",
        sid=sid,
        created_at=now,
        next_attempt_at=now,
    )


async def test_an_authentication_continues_the_presented_session_under_a_new_hash(
    store: Store,
) -> None:
    now = time.time()
    await authenticated(store, "1")
    live = await store.find_live_session("cookie-1", "service", now, now - 1800)
    assert live is not None
    assert live.client is not None
    assert live.client.sid == "sid-1"
    await authenticated(store, "2", continues=live.browser, client_id="other")
    assert await store.find_live_session("cookie-1", "service", now, now - 1800) is None
    rotated = await store.find_live_session("cookie-2", "service", now, now - 1800)
    assert rotated is not None
    assert rotated.browser.id == "bs-1"  # the same browser session, a new cookie value
    assert rotated.client is not None
    assert rotated.client.sid == "sid-1"  # each service keeps its own session
    other = await store.find_live_session("cookie-2", "other", now, now - 1800)
    assert other is not None
    assert other.client is not None
    assert other.client.sid == "sid-2"


async def test_a_stale_presented_cookie_starts_a_browser_session_of_its_own(
    store: Store,
) -> None:
    """Two authentications racing in one browser: the second presents the value the
    first has already replaced, and gets a browser session of its own."""
    now = time.time()
    await authenticated(store, "1")
    live = await store.find_live_session("cookie-1", "service", now, now - 1800)
    assert live is not None
    await authenticated(store, "2", continues=live.browser)
    await authenticated(store, "3", continues=live.browser)
    third = await store.find_live_session("cookie-3", "service", now, now - 1800)
    assert third is not None
    assert third.browser.id == "bs-3"


async def test_a_services_new_session_replaces_its_old_one(store: Store) -> None:
    now = time.time()
    await authenticated(store, "1")
    live = await store.find_live_session("cookie-1", "service", now, now - 1800)
    assert live is not None
    await authenticated(store, "2", continues=live.browser)
    assert await store.client_session("sid-1") is None
    assert [s.sid for s in await store.client_sessions_of("bs-1")] == ["sid-2"]


async def test_idle_and_ended_sessions_are_not_live(store: Store) -> None:
    now = time.time()
    await authenticated(store, "1")
    assert await store.find_live_session("cookie-1", "service", now, now + 1) is None  # idle
    assert await store.find_live_session("cookie-1", "service", now + 7201, now) is None
    assert not await store.touch_session("bs-1", "sid-1", now + 7201, now)
    assert await store.touch_session("bs-1", "sid-1", now + 10, now)


async def test_ending_a_session_queues_its_delivery_once(store: Store) -> None:
    now = time.time()
    await authenticated(store, "1")
    ended = await store.end_client_session("sid-1", delivery("sid-1", now))
    assert ended is not None
    assert ended.sid == "sid-1"
    assert await store.end_client_session("sid-1", delivery("sid-1-again", now)) is None
    assert [d.sid for d in await store.recent_deliveries()] == ["sid-1"]
    assert not await store.touch_session("bs-1", "sid-1", now, now - 1800)
    assert await store.drop_browser_session_if_empty("bs-1")
    assert await store.find_live_session("cookie-1", "service", now, now - 1800) is None


async def test_a_delivery_is_claimed_once_and_finished_by_its_claimant(store: Store) -> None:
    now = time.time()
    await authenticated(store, "1")
    await store.end_client_session("sid-1", delivery("sid-1", now))
    [claimed] = await store.claim_deliveries("worker-a", now, now + 30, 10)
    assert (claimed.claim, claimed.attempts) == ("worker-a", 1)
    assert await store.claim_deliveries("worker-b", now, now + 30, 10) == []
    stranger = msgspec.structs.replace(claimed, claim="worker-b")
    assert not await store.finish_delivery(
        stranger, state="delivered", outcome="status 200", now=now, next_attempt_at=now
    )
    assert await store.finish_delivery(
        claimed, state="pending", outcome="status 500", now=now, next_attempt_at=now + 30
    )
    assert await store.claim_deliveries("worker-b", now + 1, now + 31, 10) == []  # not due
    [again] = await store.claim_deliveries("worker-b", now + 30, now + 60, 10)
    assert again.attempts == 2
    assert await store.finish_delivery(
        again, state="failed", outcome="timeout", now=now + 31, next_attempt_at=now + 61
    )
    [done] = await store.recent_deliveries()
    assert (done.state, done.last_outcome, done.claim) == ("failed", "timeout", None)
    assert await store.claim_deliveries("worker-c", now + 100, now + 130, 10) == []


async def test_a_claim_that_ran_out_is_claimed_again(store: Store) -> None:
    """A worker that died mid-way: its rows go to another when the claim runs out."""
    now = time.time()
    await authenticated(store, "1")
    await store.end_client_session("sid-1", delivery("sid-1", now))
    assert await store.claim_deliveries("worker-a", now, now + 30, 10)
    [retaken] = await store.claim_deliveries("worker-b", now + 31, now + 61, 10)
    assert retaken.claim == "worker-b"
