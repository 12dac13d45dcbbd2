"""The store on SQLite: one `sqlite3` connection per process, used inline on the loop.

Why inline: a login runs about a dozen short statements, each answered by a local
SQLite file in microseconds; handing each to a thread and back (as aiosqlite does)
costs more than the statement. Operations are async functions so that the same code
runs on PostgreSQL, but here nothing in them ever waits: `run` drives an operation to
its end in one go (and refuses one that tries to wait), so two operations never
interleave on the connection.

A TRANSACTION runs in `BEGIN IMMEDIATE ... COMMIT` (the write lock is taken up front,
so two workers never both read and then fail to upgrade), rolled back on any error. A
READ or ONE_STATEMENT runs in autocommit: SQLite makes each statement atomic and takes
and releases the lock itself.

Waiting for a lock: with several worker processes on one file, a write can find
another process writing (and, rarely, a read can find one recovering the WAL).
SQLite's own busy handler would sleep inside the call, which stops this process's
event loop and every request on it. So this connection has no busy timeout: `run`
catches SQLITE_BUSY, which only ever comes before anything was written (a write's
lock is taken first, and a failed attempt is rolled back), sleeps on the event loop
(0.1 ms, doubling up to 5 ms) and runs the operation again, for at most
`LOCK_WAIT_SECONDS`.

Checkpoints (copying the WAL back into the database file, and emptying it once it has
grown past a bound) run on a thread of their own (`sqlite_checkpoints`), never inside
this connection's commits. The file is the owner's alone (`sqlite_file`).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from ansattporten.store.outage import Outage
from ansattporten.store.sql import Mode, Row, Sql, StatementCounter
from ansattporten.store.sqlite_checkpoints import JOURNAL_SIZE_LIMIT, BackgroundCheckpoints
from ansattporten.store.sqlite_file import make_path_private

T = TypeVar("T")

LOCK_WAIT_SECONDS = 5.0
"""How long an operation waits for another process's lock before it fails."""
PRAGMAS = (
    "journal_mode=WAL",
    "synchronous=NORMAL",
    "busy_timeout=0",
    "wal_autocheckpoint=0",
    f"journal_size_limit={JOURNAL_SIZE_LIMIT}",
)
FIRST_PAUSE = 0.0001
LONGEST_PAUSE = 0.005


class SqliteConnection:
    """The statements of one operation, on the process's connection."""

    __slots__ = ("_counter", "_raw")

    def __init__(self, raw: sqlite3.Connection, mode: Mode) -> None:
        self._raw = raw
        self._counter = StatementCounter(mode)

    async def rows(self, sql: Sql, *args: Any) -> list[Row]:
        self._counter.count()
        # fetch everything: a statement stepped only part way keeps its lock
        return self._raw.execute(sql.sqlite, args).fetchall()

    async def row(self, sql: Sql, *args: Any) -> Row | None:
        rows = await self.rows(sql, *args)
        return rows[0] if rows else None

    async def changed(self, sql: Sql, *args: Any) -> int:
        self._counter.count()
        return self._raw.execute(sql.sqlite, args).rowcount


class SqliteDatabase:
    def __init__(self, path: str) -> None:
        self.path = path
        if path and path != ":memory:":
            make_path_private(path)  # before SQLite first creates the file (0644 otherwise)
        # isolation_level=None: no implicit transactions; `run` says when
        self._raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        for pragma in PRAGMAS:
            self._raw.execute(f"PRAGMA {pragma}")
        self._checkpoints = BackgroundCheckpoints(path) if path != ":memory:" else None
        self.outage = Outage()

    async def run(
        self, operation: Callable[..., Awaitable[T]], *args: Any, mode: Mode = Mode.TRANSACTION
    ) -> T:
        """`operation(connection, *args)` in `mode`, run again while another process
        holds the lock (see the module docstring)."""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        pause = FIRST_PAUSE
        while True:
            try:
                result = self.run_now(operation, args, mode)
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or time.monotonic() + pause > deadline:
                    raise
            else:
                self.outage.ended()
                return result
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)

    def run_now(
        self, operation: Callable[..., Awaitable[T]], args: tuple[Any, ...], mode: Mode
    ) -> T:
        """One attempt, start to end, without giving the event loop a turn."""
        connection = SqliteConnection(self._raw, mode)
        if mode is not Mode.TRANSACTION:
            return _to_the_end(operation(connection, *args))
        self._raw.execute("BEGIN IMMEDIATE")
        try:
            result = _to_the_end(operation(connection, *args))
        except BaseException:
            if self._raw.in_transaction:
                self._raw.execute("ROLLBACK")
            raise
        self._raw.execute("COMMIT")
        return result

    async def close(self) -> None:
        if self._checkpoints is not None:
            self._checkpoints.close()
        self._raw.close()


def _to_the_end(coroutine: Awaitable[T]) -> T:
    """Run an operation whose awaits never wait (every statement here is synchronous)."""
    assert isinstance(coroutine, Coroutine)
    try:
        coroutine.send(None)
    except StopIteration as finished:
        result: T = finished.value
        return result
    coroutine.close()
    raise RuntimeError("a store operation waited for something; on SQLite none may")


def _is_busy(error: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY: another connection holds the lock (Python 3.11 gives the code)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return bool(code & 0xFF == sqlite3.SQLITE_BUSY)
    return "locked" in str(error)
