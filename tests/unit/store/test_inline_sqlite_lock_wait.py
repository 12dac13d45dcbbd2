"""Waiting for another process's lock happens on the event loop, not inside SQLite's
busy handler (which would stop every other request of the worker)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from ansattporten.store import inline_sqlite
from ansattporten.store import operations as op
from ansattporten.store.inline_sqlite import InlineSQLite
from ansattporten.store.prepared import Mode


@pytest.fixture
def other_process(engine: Engine) -> Iterator[sqlite3.Connection]:
    """Another worker's connection to the same file (a second connection is enough:
    SQLite's locks are per connection)."""
    connection = sqlite3.connect(str(engine.url.database), isolation_level=None)
    yield connection
    connection.close()


@pytest.fixture
def ours(engine: Engine) -> Iterator[InlineSQLite]:
    runner = InlineSQLite(str(engine.url.database), engine.dialect)
    yield runner
    runner.close()


async def test_the_loop_keeps_running_while_the_lock_is_taken_and_the_write_follows(
    other_process: sqlite3.Connection, ours: InlineSQLite
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
    assert await ours.run(op.count_hits, ("k", 1, 1), Mode.ONE_STATEMENT) == 1
    ticking.cancel()
    assert ticks >= 20  # ~100 ticks of 1 ms while waiting; a blocked loop gets one
    assert other_process.execute("SELECT count FROM rate_counters").fetchall() == [(1,)]


async def test_a_lock_held_past_the_wait_limit_is_an_error(
    other_process: sqlite3.Connection, ours: InlineSQLite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inline_sqlite, "LOCK_WAIT_SECONDS", 0.05)
    other_process.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        await ours.run(op.count_hits, ("k", 1, 1), Mode.ONE_STATEMENT)
    other_process.execute("ROLLBACK")
    # free again: the failure left no transaction open, and wrote nothing
    assert await ours.run(op.count_hits, ("k", 1, 1), Mode.ONE_STATEMENT) == 1


async def test_a_write_that_lost_the_race_is_rolled_back_and_run_again(
    other_process: sqlite3.Connection, ours: InlineSQLite
) -> None:
    """An operation whose lock is refused partway is undone, then runs whole later."""
    calls = 0

    def two_steps(connection: InlineSQLite) -> int:
        nonlocal calls
        calls += 1
        first = op.count_hits(connection, "a", 1, 1)
        if calls == 1:  # another process takes the lock now: our next step fails
            raise sqlite3.OperationalError("database is locked")
        return first + op.count_hits(connection, "b", 1, 1)

    assert await ours.run(two_steps, (), Mode.TRANSACTION) == 2
    assert calls == 2
    rows = other_process.execute("SELECT key, count FROM rate_counters ORDER BY key").fetchall()
    assert rows == [("a", 1), ("b", 1)]  # "a" counted once: the first attempt was undone
