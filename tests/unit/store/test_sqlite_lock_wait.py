"""Waiting for another process's lock happens on the event loop, not inside SQLite's
busy handler (which would stop every other request of the worker)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterator

import pytest

from ansattporten.store import sqlite as sqlite_runner
from ansattporten.store import statements as sql
from ansattporten.store.sql import Connection, Mode
from ansattporten.store.sqlite import SqliteDatabase


@pytest.fixture
def other_process(sqlite_file: str) -> Iterator[sqlite3.Connection]:
    """Another worker's connection to the same file (a second connection is enough:
    SQLite's locks are per connection)."""
    connection = sqlite3.connect(sqlite_file, isolation_level=None)
    yield connection
    connection.close()


@pytest.fixture
async def ours(sqlite_file: str) -> AsyncIterator[SqliteDatabase]:
    database = SqliteDatabase(sqlite_file)
    yield database
    await database.close()


async def count_hit(connection: Connection, key: str) -> int:
    row = await connection.row(sql.COUNT_HITS, key, 1, 1)
    assert row is not None
    return int(row[0])


async def test_the_loop_keeps_running_while_the_lock_is_taken_and_the_write_follows(
    other_process: sqlite3.Connection, ours: SqliteDatabase
) -> None:
    other_process.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.001)

    ticking = asyncio.create_task(ticker())
    asyncio.get_running_loop().call_later(0.1, other_process.execute, "COMMIT")
    assert await ours.run(count_hit, "k", mode=Mode.ONE_STATEMENT) == 1
    ticking.cancel()
    assert ticks >= 20  # ~100 ticks of 1 ms while waiting; a blocked loop gets one
    assert other_process.execute("SELECT count FROM rate_counters").fetchall() == [(1,)]


async def test_a_lock_held_past_the_wait_limit_is_an_error(
    other_process: sqlite3.Connection, ours: SqliteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_runner, "LOCK_WAIT_SECONDS", 0.05)
    other_process.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        await ours.run(count_hit, "k", mode=Mode.ONE_STATEMENT)
    other_process.execute("ROLLBACK")
    # free again: the failure left no transaction open, and wrote nothing
    assert await ours.run(count_hit, "k", mode=Mode.ONE_STATEMENT) == 1


async def test_a_write_that_lost_the_race_is_rolled_back_and_run_again(
    other_process: sqlite3.Connection, ours: SqliteDatabase
) -> None:
    """An operation whose lock is refused partway is undone, then runs whole later."""
    calls = 0

    async def two_steps(connection: Connection) -> int:
        nonlocal calls
        calls += 1
        first = await count_hit(connection, "a")
        if calls == 1:  # another process takes the lock now: our next step fails
            raise sqlite3.OperationalError("database is locked")
        return first + await count_hit(connection, "b")

    assert await ours.run(two_steps, mode=Mode.TRANSACTION) == 2
    assert calls == 2
    rows = other_process.execute("SELECT key, count FROM rate_counters ORDER BY key").fetchall()
    assert rows == [("a", 1), ("b", 1)]  # "a" counted once: the first attempt was undone
