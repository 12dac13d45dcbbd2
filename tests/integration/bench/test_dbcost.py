"""`python -m bench dbcost` end to end on SQLite, briefly: the counted provider serves
logins, and the report gives counts per login."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.bench.running import bench_report


def per_login(text: str, label: str) -> float:
    (line,) = [line for line in text.splitlines() if line.startswith(f"| {label} |")]
    return float(line.split("|")[2])


def test_a_short_count_on_sqlite(tmp_path: Path) -> None:
    args = ("dbcost", "--database", "sqlite", "--logins", "10", "--warm-up", "2")
    text = bench_report(tmp_path, "*-dbcost.md", *args)
    assert "| per full RAR login | SQLite (10 logins) |" in text
    statements = per_login(text, "statements")
    transactions = per_login(text, "· transactions (BEGIN … COMMIT)")
    # a login writes (PAR, login, picker, code, token) and reads: neither can be zero
    assert statements >= 5
    assert transactions >= 1
    assert per_login(text, "rows written (inserted + updated + deleted)") >= 5
    round_trips = per_login(text, "round trips (statements + BEGIN/COMMIT)")
    assert round_trips == pytest.approx(statements + 2 * transactions, abs=0.02)
