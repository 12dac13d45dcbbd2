"""The store on SQLite: records round-trip unchanged, a single statement runs without a
transaction, a transaction is kept whole, and races are decided by row counts."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator

import pytest

from ansattporten.records import Offer, Party, PushedRequest, SourceTiming
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


async def test_a_pushed_request_is_used_once(store: Store) -> None:
    pushed = PushedRequest(
        request_uri="urn:x", client_id="svc", request=login("x").request, expires_at=NOW + 60
    )
    await store.save_pushed_request(pushed)

    assert await store.consume_pushed_request("urn:x", "other", NOW) is None  # not theirs
    won = await store.consume_pushed_request("urn:x", "svc", NOW)
    again = await store.consume_pushed_request("urn:x", "svc", NOW)

    assert won is not None
    assert won.request == pushed.request
    assert won.used is True
    assert again is None  # used = TRUE was written by the first


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


async def test_a_lost_code_redemption_revokes_and_the_rate_counter_counts(store: Store) -> None:
    await store.start_login(login("i-1"))
    assert await store.finish_login("i-1", "choose", **finished("one"))  # type: ignore[arg-type]

    now = time.time()
    assert await store.grant_is_active("grant-one", now)
    first = await store.consume_code("code-one", now)
    second = await store.consume_code("code-one", now + 1)

    assert first is not None
    assert first.consumed_at == now
    assert first.claims.nonce == "n"
    assert second is None
    assert not await store.grant_is_active("grant-one", now + 1)
    assert await store.count_hits("k", 1, 3) == 3
    assert await store.count_hits("k", 1, 2) == 5
    assert await store.count_hits("k", 2, 1) == 1  # a new window starts over


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
