"""WAL checkpoints happen on the checkpoint thread, never in the store's own commits
(`store/sqlite_checkpoints`): with the thread held back the database file does not
grow however much is committed; with it running, the pages reach the file."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from ansattporten.store import sqlite_checkpoints
from ansattporten.store import statements as sql
from ansattporten.store.sql import Connection, Mode
from ansattporten.store.sqlite import PRAGMAS, SqliteDatabase

ROWS = 3000
"""Enough pages (each row holds ~1 KB) to pass SQLite's default automatic checkpoint of
1000 pages several times over."""


async def write_rows(database: SqliteDatabase) -> None:
    for number in range(ROWS):
        padding = '{"padding": "' + "p" * 1000 + '"}'
        args = (f"urn:test:{number}", "svc", padding, 1.0, False, None)
        await database.run(_insert_pushed, args, mode=Mode.TRANSACTION)


async def _insert_pushed(connection: Connection, args: tuple[object, ...]) -> None:
    await connection.changed(sql.INSERT_PUSHED, *args)


async def _autocheckpoint(connection: Connection) -> object:
    row = await connection.row(sql.Sql("PRAGMA wal_autocheckpoint"))
    return None if row is None else row[0]


def file_size(path: str) -> int:
    return Path(path).stat().st_size


async def test_the_store_never_checkpoints_in_its_commits(
    sqlite_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_checkpoints, "INTERVAL_SECONDS", 3600.0)
    database = SqliteDatabase(sqlite_file)
    try:
        assert await database.run(_autocheckpoint, mode=Mode.READ) == 0
        before = file_size(sqlite_file)
        await write_rows(database)
        assert file_size(sqlite_file) == before
    finally:
        await database.close()


async def test_the_checkpoint_thread_copies_the_pages_into_the_database(sqlite_file: str) -> None:
    database = SqliteDatabase(sqlite_file)
    try:
        before = file_size(sqlite_file)
        await write_rows(database)
        deadline = time.monotonic() + 10
        while file_size(sqlite_file) < before + ROWS * 1000 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert file_size(sqlite_file) >= before + ROWS * 1000
    finally:
        await database.close()
    with sqlite3.connect(sqlite_file) as check:
        assert check.execute("SELECT count(*) FROM pushed_requests").fetchone() == (ROWS,)


def steady_writer(path: str, seconds: float, rate: float) -> int:
    """One connection set up as the inline one (no busy timeout, no automatic
    checkpoints) committing `rate` small transactions a second for `seconds` (about a
    worker's at full load), retrying while the checkpoint thread holds the lock;
    returns the largest `-wal` size seen."""
    writer = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        writer.execute(f"PRAGMA {pragma}")
    writer.execute("CREATE TABLE IF NOT EXISTS steady (id INTEGER PRIMARY KEY, v BLOB)")
    wal, largest, number = Path(f"{path}-wal"), 0, 0
    started = time.monotonic()
    try:
        while (now := time.monotonic()) < started + seconds:
            time.sleep(max(0.0, started + number / rate - now))
            try:
                writer.execute("BEGIN IMMEDIATE")
                writer.execute("INSERT INTO steady (v) VALUES (?)", (b"x" * 1500,))
                writer.execute("DELETE FROM steady WHERE id < ?", (number - 500,))
                writer.execute("COMMIT")
                number += 1
            except sqlite3.OperationalError:
                if writer.in_transaction:
                    writer.execute("ROLLBACK")
                time.sleep(0.0005)
            if number % 100 == 0:
                largest = max(largest, wal.stat().st_size)
    finally:
        writer.close()
    return largest


def test_a_steady_writer_does_not_grow_the_log_without_end(
    sqlite_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With writes arriving all the time, PASSIVE rounds alone never let the writer start
    the log again; the emptying round does. (PASSIVE alone passed this bound within
    three seconds and went on growing.)"""
    monkeypatch.setattr(sqlite_checkpoints, "INTERVAL_SECONDS", 0.1)
    path = sqlite_file
    checkpoints = sqlite_checkpoints.BackgroundCheckpoints(path)
    try:
        largest = steady_writer(path, seconds=4.0, rate=1500)
    finally:
        checkpoints.close()
    assert largest < 32 * 2**20, f"the WAL reached {largest / 2**20:.0f} MiB"
