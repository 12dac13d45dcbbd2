"""WAL checkpoints happen on the checkpoint thread, never in the inline connection's
commits (`store/sqlite_checkpoints`): with the thread held back the database file does
not grow however much is committed; with it running, the pages reach the file."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ansattporten.store import operations as op
from ansattporten.store import sqlite_checkpoints
from ansattporten.store.inline_sqlite import WAL_PRAGMAS, InlineSQLite
from ansattporten.store.models import PushedRequest
from ansattporten.store.prepared import Mode

ROWS = 3000
"""Enough pages (each row holds ~1 KB of parameters) to pass SQLite's default
automatic checkpoint of 1000 pages several times over."""


def inline_for(engine: Engine) -> InlineSQLite:
    return InlineSQLite(str(engine.url.database), engine.dialect)


def write_rows(inline: InlineSQLite) -> None:
    for number in range(ROWS):
        row = PushedRequest(
            request_uri=f"urn:test:{number}",
            client_id="svc",
            params={"scope": "openid", "padding": "p" * 1000},
            expires_at=1.0,
            used=False,
        )
        with inline.transaction(Mode.TRANSACTION) as connection:
            op.insert_rows(connection, row)


def file_size(engine: Engine) -> int:
    return Path(str(engine.url.database)).stat().st_size


def test_the_inline_connection_never_checkpoints(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_checkpoints, "INTERVAL_SECONDS", 3600.0)
    inline = inline_for(engine)
    try:
        assert inline._raw.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
        before = file_size(engine)
        write_rows(inline)
        assert file_size(engine) == before
    finally:
        inline.close()


def test_the_checkpoint_thread_copies_the_pages_into_the_database(engine: Engine) -> None:
    inline = inline_for(engine)
    try:
        before = file_size(engine)
        write_rows(inline)
        deadline = time.monotonic() + 10
        while file_size(engine) < before + ROWS * 1000 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert file_size(engine) >= before + ROWS * 1000
    finally:
        inline.close()
    with sqlite3.connect(str(engine.url.database)) as check:
        assert check.execute("SELECT count(*) FROM pushed_requests").fetchone() == (ROWS,)


def steady_writer(path: str, seconds: float, rate: float) -> int:
    """One connection set up as the inline one (no busy timeout, no automatic
    checkpoints) committing `rate` small transactions a second for `seconds` (about a
    worker's at full load), retrying while the checkpoint thread holds the lock;
    returns the largest `-wal` size seen."""
    writer = sqlite3.connect(path, isolation_level=None)
    for pragma in WAL_PRAGMAS:
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
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With writes arriving all the time, PASSIVE rounds alone never let the writer start
    the log again; the emptying round does. (PASSIVE alone passed this bound within
    three seconds and went on growing.)"""
    monkeypatch.setattr(sqlite_checkpoints, "INTERVAL_SECONDS", 0.1)
    path = str(engine.url.database)
    checkpoints = sqlite_checkpoints.BackgroundCheckpoints(path)
    try:
        largest = steady_writer(path, seconds=4.0, rate=1500)
    finally:
        checkpoints.close()
    assert largest < 32 * 2**20, f"the WAL reached {largest / 2**20:.0f} MiB"
