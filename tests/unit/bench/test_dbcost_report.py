"""Database work per login from two readings: the arithmetic and the table."""

from __future__ import annotations

import pytest

from bench.dbcost_report import Reading, per_login, table


def test_counts_are_divided_by_the_logins_between_the_readings() -> None:
    before = Reading({"read": 10, "transaction": 3}, statements=40, sqlite_changes=7)
    after = Reading(
        {"read": 70, "transaction": 43, "one statement": 20}, statements=240, sqlite_changes=137
    )
    found = per_login("SQLite", before, after, 10)
    assert (found.reads, found.transactions, found.one_statement) == (6, 4, 2)
    assert found.operations == 12
    assert found.statements == 20
    assert found.round_trips == 28  # 20 statements + BEGIN and COMMIT of 4 transactions
    assert found.rows_written == 13


def test_postgres_rows_come_from_its_own_statistics() -> None:
    keys = ("xact_commit", "tup_inserted", "tup_updated", "tup_deleted", "wal_bytes")
    before = Reading({}, 0, 0, dict.fromkeys(keys, 100))
    after = Reading({}, 0, 0, dict(zip(keys, (300, 320, 200, 100, 4100), strict=True)))
    found = per_login("PostgreSQL", before, after, 20)
    assert found.rows_written == pytest.approx((220 + 100 + 0) / 20)
    assert found.postgres["xact_commit"] == 10
    assert found.postgres["wal_bytes"] == 200


def test_no_logins_is_refused() -> None:
    reading = Reading({}, 0, 0)
    with pytest.raises(ValueError, match="no logins"):
        per_login("SQLite", reading, reading, 0)


def test_the_table_has_one_column_per_database_and_pg_rows_only_where_measured() -> None:
    sqlite = per_login("SQLite", Reading({}, 0, 0), Reading({"read": 2}, 4, 6), 2)
    lines = table([sqlite])
    assert lines[0] == "| per full RAR login | SQLite (2 logins) |"
    assert "| round trips (statements + BEGIN/COMMIT) | 2.00 |" in lines
    assert not any("PostgreSQL" in line for line in lines)
