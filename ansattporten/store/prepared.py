"""Core statements compiled once per dialect and run on a driver connection directly.

`operations` is written against SQLAlchemy's Connection. On the hot path the store runs
those same functions on thin stand-ins (`inline_sqlite`, `asyncpg_runner`) that offer
the part of the Connection API they use: `execute` returning a `Result` (`first`,
`scalar_one`, `rowcount`; rows with `_mapping` and attribute access), `rollback` and
`dialect`. Statements are compiled by SQLAlchemy for the dialect, and values converted
by SQLAlchemy's own type processors, so what is written and read is exactly what the
ORM would write and read.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.selectable import Select

Processor = Callable[[Any], Any] | None
GIVEN: Any = object()
MAX_PREPARED = 1000
"""`operations` has a few dozen statement shapes; the cache never needs more."""


class Mode(enum.Enum):
    """How a stand-in runs one operation."""

    READ = "read"
    TRANSACTION = "transaction"
    ONE_STATEMENT = "one statement"
    """A write that is one statement, atomic by itself: no BEGIN/COMMIT around it."""


class OneStatementBroken(RuntimeError):
    """An operation run as ONE_STATEMENT tried to issue a second statement."""


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
    `GIVEN` when it comes from the parameters."""
    binds: tuple[Processor, ...]
    columns: tuple[str, ...]
    """Result column keys; empty for statements that return no rows."""
    results: tuple[Processor, ...]

    def values(self, parameters: Mapping[str, Any]) -> list[Any]:
        """The driver's positional arguments, converted as SQLAlchemy would."""
        values = []
        for name, fixed, bind in zip(self.names, self.fixed, self.binds, strict=True):
            value = parameters[name] if fixed is GIVEN else fixed
            values.append(value if bind is None else bind(value))
        return values

    def row(self, raw: Sequence[Any]) -> Row:
        return Row(
            {
                column: value if result is None else result(value)
                for column, result, value in zip(self.columns, self.results, raw, strict=True)
            }
        )


def prepare(statement: ClauseElement, keys: Sequence[str], dialect: Dialect) -> Prepared:
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    assert isinstance(compiled, SQLCompiler)
    names = tuple(compiled.positiontup or ())
    given = set(keys)
    fixed = tuple(
        GIVEN if name in given else compiled.binds[name].effective_value for name in names
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


class StatementCache:
    """Prepared statements by (statement, parameter names), for one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self._prepared: dict[tuple[int, frozenset[str]], Prepared] = {}
        self._statements: dict[int, ClauseElement] = {}
        """Keeps every prepared statement alive, so its id() is never reused."""

    def __len__(self) -> int:
        return len(self._prepared)

    def get(self, statement: ClauseElement, parameters: Mapping[str, Any]) -> Prepared:
        key = (id(statement), frozenset(parameters))
        prepared = self._prepared.get(key)
        if prepared is None:
            if len(self._prepared) > MAX_PREPARED:  # only a bug would get here: start over
                self._prepared.clear()
                self._statements.clear()
            prepared = prepare(statement, sorted(parameters), self.dialect)
            self._prepared[key] = prepared
            self._statements[id(statement)] = statement
        return prepared
