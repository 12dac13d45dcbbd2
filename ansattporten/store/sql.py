"""What a store operation is written against: statements, modes, and the connection.

Each statement is plain SQL written once, with PostgreSQL's `$1, $2 ...` placeholders;
SQLite is given the same text with `?1, ?2 ...`, its own numbered form. An operation is
an async function taking a `Connection` and returns a record; `run` on the database
(`sqlite.SqliteDatabase`, `postgres.PostgresDatabase`) decides how it is wrapped:

- READ: no transaction;
- ONE_STATEMENT: a write that is exactly one statement, which both databases make atomic
  by itself, so no BEGIN/COMMIT is sent (on PostgreSQL that saves two round trips); a
  second statement is refused before it is sent;
- TRANSACTION: BEGIN (IMMEDIATE on SQLite) ... COMMIT, rolled back on any error.

Races are decided by conditional UPDATEs whose row count (or returned row) says who won.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from typing import Any, Protocol

_PLACEHOLDER = re.compile(r"\$(\d+)")


class Sql:
    """One statement, in both databases' spelling."""

    __slots__ = ("postgres", "sqlite")

    def __init__(self, text: str) -> None:
        self.postgres = " ".join(text.split())
        self.sqlite = _PLACEHOLDER.sub(r"?\1", self.postgres)

    def __repr__(self) -> str:
        return f"Sql({self.postgres!r})"


class Mode(enum.Enum):
    READ = "read"
    TRANSACTION = "transaction"
    ONE_STATEMENT = "one statement"


class OneStatementBroken(RuntimeError):
    """An operation run as ONE_STATEMENT tried to send a second statement."""


Row = Sequence[Any]


class Connection(Protocol):
    """The three ways an operation sends a statement."""

    async def rows(self, sql: Sql, *args: Any) -> list[Row]:
        """Every row the statement returns."""
        ...

    async def row(self, sql: Sql, *args: Any) -> Row | None:
        """The first row, or None."""
        ...

    async def changed(self, sql: Sql, *args: Any) -> int:
        """Run a statement that returns no rows; how many rows it changed."""
        ...


class StatementCounter:
    """Counts what an operation sends, refusing a second statement in ONE_STATEMENT."""

    __slots__ = ("mode", "sent")

    def __init__(self, mode: Mode) -> None:
        self.mode = mode
        self.sent = 0

    def count(self) -> None:
        if self.sent and self.mode is Mode.ONE_STATEMENT:
            raise OneStatementBroken("a second statement in an operation run as one statement")
        self.sent += 1


async def fetch_row(connection: Connection, statement: Sql, args: tuple[Any, ...]) -> Any:
    """An operation of one statement: its first row."""
    return await connection.row(statement, *args)


async def fetch_rows(connection: Connection, statement: Sql, args: tuple[Any, ...]) -> Any:
    """An operation of one statement: every row."""
    return await connection.rows(statement, *args)


async def change_rows(connection: Connection, statement: Sql, args: tuple[Any, ...]) -> int:
    """An operation of one statement that returns no rows: how many it changed."""
    return await connection.changed(statement, *args)
