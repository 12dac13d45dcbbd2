"""The store on SQLite: records round-trip unchanged, a single statement runs without a
transaction, a transaction is kept whole, and races are decided by row counts."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator

import pytest

from ansattporten.records import Offer, Party, PushedRequest, RefreshToken, SourceTiming
from ansattporten.store import Store
from ansattporten.store import statements as sql
from ansattporten.store.sql import Connection, Mode, OneStatementBroken
from ansattporten.store.sqlite import SqliteDatabase
from tests.unit.store.conftest import authentication, finished, login, opening

NOW = 1_800_000_000.0


@pytest.fixture
async def store(sqlite_file: str) -> AsyncIterator[Store]:
    opened = Store(f"sqlite:///{sqlite_file}")
    yield opened
    await opened.aclose()


def count(sqlite_file: str, table: str) -> int:
    with sqlite3.connect(sqlite_file) as other:
        return int(other.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


async def test_a_login_reads_back_exactly_as_written(store: Store) -> None:
    written = login("i-1", stage="login")
    await store.start_login(written)
    assert await store.load_login("i-1") == written
    assert await store.load_login("nobody") is None


async def test_a_login_moves_on_once_per_stage(store: Store) -> None:
    await store.start_login(login("i-1", stage="login"))
    person = authentication()
    offer = Offer(
        parties=((Party(orgno="310000001", name="AS"),),),
        timings=(SourceTiming("altinn", "t", 1.5, "ok"),),
    )

    assert await store.record_authentication("i-1", person, opening("1"))
    assert not await store.record_authentication("i-1", person, opening("2"))  # a replayed form
    assert await store.record_offer("i-1", offer)
    assert not await store.fail_login("i-1", "login", "access_denied")  # not at "login"

    found = await store.load_login("i-1")
    assert found is not None
    assert (found.stage, found.authentication, found.offer, found.failure, found.sid) == (
        "choose",
        person,
        offer,
        None,
        "sid-1",
    )
    assert await store.client_session("sid-2") is None  # the replay opened no session
    assert await store.fail_login("i-1", "choose", "access_denied")
    failed = await store.load_login("i-1")
    assert failed is not None
    assert (failed.stage, failed.failure, failed.offer) == ("failed", "access_denied", offer)


async def test_a_pushed_request_starts_one_login(store: Store) -> None:
    pushed = PushedRequest(
        request_uri="urn:x", client_id="svc", request=login("x").request, expires_at=NOW + 60
    )
    await store.save_pushed_request(pushed)

    assert not await store.start_login_from_pushed("urn:x", "other", NOW, login("l-0"))
    won = await store.start_login_from_pushed("urn:x", "svc", NOW, login("l-1"))
    again = await store.start_login_from_pushed("urn:x", "svc", NOW, login("l-2"))

    assert won
    assert not again
    used = await store.find_pushed_request("urn:x", "svc")
    assert used is not None
    assert (used.used, used.login_id, used.request) == (True, "l-1", pushed.request)
    assert await store.load_login("l-1") is not None
    assert await store.load_login("l-0") is None
    assert await store.load_login("l-2") is None
    assert await store.find_pushed_request("urn:x", "other") is None  # not theirs


async def test_a_pushed_request_is_not_used_up_when_its_login_cannot_be_written(
    store: Store,
) -> None:
    """The request is marked used and the login written together: a login that cannot be
    written (here: its id is taken) leaves the request usable."""
    pushed = PushedRequest(
        request_uri="urn:y", client_id="svc", request=login("y").request, expires_at=NOW + 60
    )
    await store.save_pushed_request(pushed)
    await store.start_login(login("taken"))

    with pytest.raises(sqlite3.IntegrityError):
        await store.start_login_from_pushed("urn:y", "svc", NOW, login("taken"))

    unused = await store.find_pushed_request("urn:y", "svc")
    assert unused is not None
    assert not unused.used
    assert await store.start_login_from_pushed("urn:y", "svc", NOW, login("fresh"))


async def test_a_failed_transaction_leaves_nothing_behind(sqlite_file: str) -> None:
    database = SqliteDatabase(sqlite_file)

    async def half_then_fail(connection: Connection) -> None:
        await connection.changed(sql.COUNT_HITS, "k", 1, 1)
        raise RuntimeError("boom")

    try:
        with pytest.raises(RuntimeError):
            await database.run(half_then_fail)
    finally:
        await database.close()
    assert count(sqlite_file, "rate_counters") == 0


async def test_a_code_is_redeemed_once_and_the_rate_counter_counts(store: Store) -> None:
    await store.start_login(login("i-1"))
    assert await store.finish_login("i-1", "choose", **finished("one"))  # type: ignore[arg-type]

    now = time.time()
    assert not await store.redeem_code("code-one", "other", now, "sealed", None)  # not theirs
    first = await store.redeem_code("code-one", "service", now, "sealed", None)
    second = await store.redeem_code("code-one", "service", now + 1, "sealed again", None)

    assert first
    assert not second
    redeemed = await store.find_code("code-one")
    assert redeemed is not None
    assert (redeemed.consumed_at, redeemed.response) == (now, "sealed")
    assert redeemed.claims.nonce == "n"
    assert await store.grant_is_active("grant-one", now + 1)  # the store revokes nothing
    assert await store.count_hits("k", 1, 3) == 3
    assert await store.count_hits("k", 1, 2) == 5
    assert await store.count_hits("k", 2, 1) == 1  # a new window starts over


async def test_a_code_is_not_used_up_when_its_refresh_token_cannot_be_written(
    store: Store,
) -> None:
    """Code and refresh token are written together: a refresh token that cannot be
    written (here: its hash is taken) leaves the code unredeemed."""
    await store.start_login(login("i-2"))
    assert await store.finish_login("i-2", "choose", **finished("two"))  # type: ignore[arg-type]
    now = time.time()
    taken = RefreshToken(
        token_hash="t",
        grant_id="grant-two",
        client_id="service",
        created_at=now,
        expires_at=now + 60,
    )
    assert await store.redeem_code("code-two", "service", now, "sealed", taken)

    await store.start_login(login("i-3"))
    assert await store.finish_login("i-3", "choose", **finished("three"))  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):
        await store.redeem_code("code-three", "service", now, "sealed", taken)

    unredeemed = await store.find_code("code-three")
    assert unredeemed is not None
    assert unredeemed.consumed_at is None


async def test_one_statement_runs_without_a_transaction_and_leaves_no_lock(
    sqlite_file: str,
) -> None:
    database = SqliteDatabase(sqlite_file)
    try:
        await database.run(_count_hit, "k", mode=Mode.ONE_STATEMENT)
        with sqlite3.connect(sqlite_file, isolation_level=None) as other:
            other.execute("BEGIN IMMEDIATE")  # the lock is free at once: it committed
            other.execute("ROLLBACK")
    finally:
        await database.close()
    assert count(sqlite_file, "rate_counters") == 1


async def test_one_statement_refuses_a_second_statement(sqlite_file: str) -> None:
    database = SqliteDatabase(sqlite_file)

    async def two(connection: Connection) -> None:
        await _count_hit(connection, "a")
        await _count_hit(connection, "b")

    try:
        with pytest.raises(OneStatementBroken):
            await database.run(two, mode=Mode.ONE_STATEMENT)
        await database.run(_count_hit, "c", mode=Mode.ONE_STATEMENT)
    finally:
        await database.close()
    assert count(sqlite_file, "rate_counters") == 2  # "a" was sent before the refusal


async def test_an_operation_that_waits_is_refused(sqlite_file: str) -> None:
    """On SQLite nothing may wait inside an operation: two would interleave on the one
    connection."""
    database = SqliteDatabase(sqlite_file)

    async def waits(connection: Connection) -> None:
        import asyncio

        await asyncio.sleep(0)

    try:
        with pytest.raises(RuntimeError, match="waited"):
            await database.run(waits, mode=Mode.READ)
    finally:
        await database.close()


async def _count_hit(connection: Connection, key: str) -> None:
    await connection.row(sql.COUNT_HITS, key, 1, 1)
