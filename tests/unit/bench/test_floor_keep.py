"""The floor's tables: in a dict and in an SQLite file they keep, give back and let go
of entries the same way, and a taken entry is gone for the next taker."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from bench.floor_keep import MemoryTable, SqliteTable, Table, open_database


class Entry(msgspec.Struct):
    name: str
    count: int = 0


@pytest.fixture(params=["memory", "sqlite"])
def table(request: pytest.FixtureRequest, tmp_path: Path) -> Table[Entry]:
    if request.param == "memory":
        return MemoryTable()
    return SqliteTable(open_database(str(tmp_path / "keep.db")), "entry", Entry)


def test_an_entry_put_is_found_and_a_change_put_again_is_kept(table: Table[Entry]) -> None:
    table.put("a", Entry("first"))
    found = table.get("a")
    assert found == Entry("first")
    found.count = 2
    table.put("a", found)
    assert table.get("a") == Entry("first", 2)
    assert table.get("b") is None


def test_an_entry_is_taken_once(table: Table[Entry]) -> None:
    table.put("a", Entry("once"))
    assert table.take("a") == Entry("once")
    assert table.take("a") is None
    assert table.get("a") is None


def test_a_dropped_entry_is_gone_and_dropping_nothing_is_harmless(table: Table[Entry]) -> None:
    table.put("a", Entry("x"))
    table.drop("a")
    table.drop("never")
    assert table.get("a") is None


def test_kinds_in_one_file_do_not_see_each_other(tmp_path: Path) -> None:
    connection = open_database(str(tmp_path / "keep.db"))
    first = SqliteTable(connection, "first", Entry)
    second = SqliteTable(connection, "second", Entry)
    first.put("k", Entry("one"))
    assert second.get("k") is None
    assert second.take("k") is None
    assert first.get("k") == Entry("one")
