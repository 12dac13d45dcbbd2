"""Database work per login, from two readings of the counters taken N logins apart:
pure arithmetic and Markdown, tested without a database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PG_COUNTERS = (
    "xact_commit",
    "tup_inserted",
    "tup_updated",
    "tup_deleted",
    "toast_rows",
    "wal_bytes",
    "sessions",
)
"""What PostgreSQL itself counts for the database (pg_stat_database, and the WAL
position of the cluster)."""


@dataclass(frozen=True)
class Reading:
    """The counters at one moment."""

    operations: dict[str, int]
    """Store operations by mode: read, one statement, transaction."""
    statements: int
    sqlite_changes: int
    postgres: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PerLogin:
    database: str
    logins: int
    reads: float
    one_statement: float
    transactions: float
    statements: float
    rows_written: float
    postgres: dict[str, float]

    @property
    def operations(self) -> float:
        return self.reads + self.one_statement + self.transactions

    @property
    def round_trips(self) -> float:
        """What goes to the database and waits for its answer: every statement, plus
        BEGIN and COMMIT of each transaction (one-statement writes and reads have none)."""
        return self.statements + 2 * self.transactions


def per_login(database: str, before: Reading, after: Reading, logins: int) -> PerLogin:
    if logins <= 0:
        raise ValueError("no logins between the readings")

    def ops(mode: str) -> float:
        return (after.operations.get(mode, 0) - before.operations.get(mode, 0)) / logins

    postgres = {
        key: (after.postgres[key] - before.postgres[key]) / logins
        for key in PG_COUNTERS
        if key in after.postgres and key in before.postgres
    }
    if postgres:
        written = sum(postgres[k] for k in ("tup_inserted", "tup_updated", "tup_deleted"))
    else:
        written = (after.sqlite_changes - before.sqlite_changes) / logins
    return PerLogin(
        database,
        logins,
        reads=ops("read"),
        one_statement=ops("one statement"),
        transactions=ops("transaction"),
        statements=(after.statements - before.statements) / logins,
        rows_written=written,
        postgres=postgres,
    )


ROWS: tuple[tuple[str, Callable[[PerLogin], float]], ...] = (
    ("store operations", lambda p: p.operations),
    ("· reads (no transaction)", lambda p: p.reads),
    ("· one-statement writes (no transaction)", lambda p: p.one_statement),
    ("· transactions (BEGIN … COMMIT)", lambda p: p.transactions),
    ("statements", lambda p: p.statements),
    ("round trips (statements + BEGIN/COMMIT)", lambda p: p.round_trips),
    ("rows written (inserted + updated + deleted)", lambda p: p.rows_written),
)
PG_ROWS = (
    ("PostgreSQL: transactions committed (xact_commit)", "xact_commit"),
    ("PostgreSQL: rows inserted", "tup_inserted"),
    ("PostgreSQL: rows updated", "tup_updated"),
    ("PostgreSQL: rows deleted", "tup_deleted"),
    ("PostgreSQL: of these rows, in TOAST tables (large values)", "toast_rows"),
    ("PostgreSQL: WAL bytes", "wal_bytes"),
    ("PostgreSQL: connections opened (sessions)", "sessions"),
)


def table(found: list[PerLogin]) -> list[str]:
    header = ["per full RAR login", *(f"{p.database} ({p.logins} logins)" for p in found)]
    rows = [[label, *(f"{value(p):.2f}" for p in found)] for label, value in ROWS]
    for label, key in PG_ROWS:
        if any(key in p.postgres for p in found):
            cells = [f"{p.postgres[key]:.2f}" if key in p.postgres else "-" for p in found]
            rows.append([label, *cells])
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
