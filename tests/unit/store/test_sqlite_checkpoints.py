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
from ansattporten.store.inline_sqlite import InlineSQLite
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
