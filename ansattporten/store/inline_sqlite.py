"""The hot-path statements on SQLite, run on one plain `sqlite3` connection.

Why: a login runs about a dozen short transactions. Through SQLAlchemy's Connection
each cost 50-250 us of Python (pool checkout, execution context, result objects) for a
statement SQLite itself answers in under 10 us; together that was a third of a whole
login's CPU. This runs the *same* Core statements from `operations`, compiled once by
SQLAlchemy for the SQLite dialect, with SQLAlchemy's own per-type conversions (JSON,
booleans) applied, on a connection held for the life of the process.

It offers the small part of SQLAlchemy's Connection that `operations` uses: `execute`
(a result with `first`, `scalar_one` and `rowcount`; rows with `_mapping` and
attribute access), `rollback` and `dialect`. Everything else in the store (sessions,
migrations, the ORM) keeps using SQLAlchemy's engines on the same file.

Safety: the connection is only used on the event loop's thread, one operation at a
time (operations are synchronous, so none can interleave). A write operation runs in
`BEGIN IMMEDIATE ... COMMIT`, rolled back on any exception, so a failure never leaves
half an operation behind.

Checkpoints (copying the WAL back into the database file) run on a thread of their own
(`sqlite_checkpoints`), not inside this connection's commits.

Waiting for a lock: with several worker processes on one file, a BEGIN IMMEDIATE can
find another process writing (and, rarely, a read can find a process recovering or
closing the WAL). SQLite's own busy handler would sleep 1, 2, 5... ms inside the call,
which stops this process's event loop and every request on it. So this connection has
no busy timeout: `run` catches SQLITE_BUSY, which only ever comes before anything was
written (a write's lock is taken first, and a failed attempt is rolled back), sleeps on
the event loop (0.1 ms, doubling up to 5 ms) and runs the operation again, for at most
`LOCK_WAIT_SECONDS`.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Dialect
from sqlalchemy.sql.elements import ClauseElement

from ansattporten.store.prepared import Mode, OneStatementBroken, Result, StatementCache
from ansattporten.store.sqlite_checkpoints import JOURNAL_SIZE_LIMIT, BackgroundCheckpoints

T = TypeVar("T")

LOCK_WAIT_SECONDS = 5.0
"""As long as the store's other connections wait for a lock (their busy_timeout)."""
WAL_PRAGMAS = (
    "journal_mode=WAL",
    "synchronous=NORMAL",
    "busy_timeout=0",
    "wal_autocheckpoint=0",
    f"journal_size_limit={JOURNAL_SIZE_LIMIT}",
)
FIRST_PAUSE = 0.0001
LONGEST_PAUSE = 0.005


class InlineSQLite:
    """A stand-in for SQLAlchemy's Connection over one `sqlite3` connection."""

    def __init__(self, path: str, dialect: Dialect) -> None:
        self.dialect = dialect
        self.statements = StatementCache(dialect)
        # isolation_level=None: no implicit transactions; `transaction` says when
        self._raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        # wal_autocheckpoint=0: checkpoints run on a thread of their own, never inside a
        # commit here (`sqlite_checkpoints`)
        for pragma in WAL_PRAGMAS:
            self._raw.execute(f"PRAGMA {pragma}")
        self._checkpoints = BackgroundCheckpoints(path)
        self._single = False
        """Running a ONE_STATEMENT operation: a second statement is refused."""
        self._sent = False

    def execute(self, statement: ClauseElement, parameters: Mapping[str, Any]) -> Result:
        if self._single:
            if self._sent:
                raise OneStatementBroken("a second statement in an operation run as one")
            self._sent = True
        prepared = self.statements.get(statement, parameters)
        cursor = self._raw.execute(prepared.sql, prepared.values(parameters))
        if not prepared.columns:
            return Result([], cursor.rowcount)
        return Result([prepared.row(raw) for raw in cursor.fetchall()], cursor.rowcount)

    def rollback(self) -> None:
        if self._raw.in_transaction:
            self._raw.execute("ROLLBACK")

    async def run(self, operation: Callable[..., T], args: tuple[Any, ...], mode: Mode) -> T:
        """`operation` in one transaction (TRANSACTION), or as SQLite's own implicit
        transaction around a single statement (ONE_STATEMENT, READ), run again while
        another process holds the lock (see the module docstring)."""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        pause = FIRST_PAUSE
        while True:
            try:
                with self.transaction(mode) as connection:
                    return operation(connection, *args)
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or time.monotonic() + pause > deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)

    @contextmanager
    def transaction(self, mode: Mode) -> Iterator[InlineSQLite]:
        """A transaction takes the database's write lock up front (BEGIN IMMEDIATE), so
        two workers never both read and then fail to upgrade. A read, or a write that is
        one statement, runs in autocommit: SQLite makes each statement atomic, and the
        one statement takes and releases the lock itself, saving BEGIN and COMMIT."""
        if mode is Mode.READ:
            yield self
            return
        if mode is Mode.ONE_STATEMENT:
            self._single, self._sent = True, False
            try:
                yield self
            finally:
                self._single = False
            return
        self._raw.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        if self._raw.in_transaction:
            self._raw.execute("COMMIT")

    def close(self) -> None:
        self._checkpoints.close()
        self._raw.close()


def _is_busy(error: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY: another connection holds the lock (Python 3.11 gives the code)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return bool(code & 0xFF == sqlite3.SQLITE_BUSY)
    return "locked" in str(error)
