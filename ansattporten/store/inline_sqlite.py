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
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.sql.elements import ClauseElement

from ansattporten.store.prepared import Result, StatementCache


class InlineSQLite:
    """A stand-in for SQLAlchemy's Connection over one `sqlite3` connection."""

    def __init__(self, path: str, dialect: Dialect) -> None:
        self.dialect = dialect
        self.statements = StatementCache(dialect)
        # isolation_level=None: no implicit transactions; `transaction` says when
        self._raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000"):
            self._raw.execute(f"PRAGMA {pragma}")

    def execute(self, statement: ClauseElement, parameters: Mapping[str, Any]) -> Result:
        prepared = self.statements.get(statement, parameters)
        cursor = self._raw.execute(prepared.sql, prepared.values(parameters))
        if not prepared.columns:
            return Result([], cursor.rowcount)
        return Result([prepared.row(raw) for raw in cursor.fetchall()], cursor.rowcount)

    def rollback(self) -> None:
        if self._raw.in_transaction:
            self._raw.execute("ROLLBACK")

    @contextmanager
    def transaction(self, write: bool) -> Iterator[InlineSQLite]:
        """A write takes the database's write lock up front (BEGIN IMMEDIATE), so two
        workers never both read and then fail to upgrade; a read runs as is."""
        if not write:
            yield self
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
        self._raw.close()
