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
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.selectable import Select

Processor = Callable[[Any], Any] | None
_GIVEN: Any = object()
MAX_PREPARED = 1000
"""`operations` has a few dozen statement shapes; the cache never needs more."""


class Row:
    """One result row: `row.column` and `row._mapping`, like SQLAlchemy's."""

    __slots__ = ("_mapping",)

    def __init__(self, mapping: dict[str, Any]) -> None:
        self._mapping = mapping

    def __getattr__(self, name: str) -> Any:
        try:
            return self._mapping[name]
        except KeyError:
            raise AttributeError(name) from None


class Result:
    def __init__(self, rows: list[Row], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    def first(self) -> Row | None:
        return self._rows[0] if self._rows else None

    def scalar_one(self) -> Any:
        if len(self._rows) != 1:
            raise LookupError(f"expected one row, got {len(self._rows)}")
        return next(iter(self._rows[0]._mapping.values()))


@dataclass(frozen=True)
class Prepared:
    """A statement compiled for one set of parameter names."""

    sql: str
    names: tuple[str, ...]
    """Parameter names in placeholder order (a name may appear twice)."""
    fixed: tuple[Any, ...]
    """Per placeholder: the value written into the statement itself (`.values(used=True)`),
    `_GIVEN` when it comes from the parameters."""
    binds: tuple[Processor, ...]
    columns: tuple[str, ...]
    """Result column keys; empty for statements that return no rows."""
    results: tuple[Processor, ...]


def prepare(statement: ClauseElement, keys: Sequence[str], dialect: Dialect) -> Prepared:
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    assert isinstance(compiled, SQLCompiler)
    names = tuple(compiled.positiontup or ())
    given = set(keys)
    fixed = tuple(
        _GIVEN if name in given else compiled.binds[name].effective_value for name in names
    )
    binds = tuple(compiled.binds[name].type.bind_processor(dialect) for name in names)
    if isinstance(statement, Select):
        returned = list(statement.selected_columns)
    elif isinstance(statement, UpdateBase):
        returned = list(statement.exported_columns)
    else:
        returned = []
    return Prepared(
        sql=compiled.string,
        names=names,
        fixed=fixed,
        binds=binds,
        columns=tuple(str(column.key) for column in returned),
        results=tuple(column.type.result_processor(dialect, None) for column in returned),
    )


class InlineSQLite:
    """A stand-in for SQLAlchemy's Connection over one `sqlite3` connection."""

    def __init__(self, path: str, dialect: Dialect) -> None:
        self.dialect = dialect
        self._prepared: dict[tuple[int, frozenset[str]], Prepared] = {}
        self._statements: dict[int, ClauseElement] = {}
        """Keeps every prepared statement alive, so its id() is never reused."""
        # isolation_level=None: no implicit transactions; `transaction` says when
        self._raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000"):
            self._raw.execute(f"PRAGMA {pragma}")

    def execute(self, statement: ClauseElement, parameters: Mapping[str, Any]) -> Result:
        key = (id(statement), frozenset(parameters))
        prepared = self._prepared.get(key)
        if prepared is None:
            if len(self._prepared) > MAX_PREPARED:  # only a bug would get here: start over
                self._prepared.clear()
                self._statements.clear()
            prepared = prepare(statement, sorted(parameters), self.dialect)
            self._prepared[key] = prepared
            self._statements[id(statement)] = statement
        values = []
        for name, fixed, bind in zip(prepared.names, prepared.fixed, prepared.binds, strict=True):
            value = parameters[name] if fixed is _GIVEN else fixed
            values.append(value if bind is None else bind(value))
        cursor = self._raw.execute(prepared.sql, values)
        if not prepared.columns:
            return Result([], cursor.rowcount)
        rows = [
            Row(
                {
                    column: value if result is None else result(value)
                    for column, result, value in zip(
                        prepared.columns, prepared.results, raw, strict=True
                    )
                }
            )
            for raw in cursor.fetchall()
        ]
        return Result(rows, cursor.rowcount)

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
