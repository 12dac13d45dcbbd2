"""`python -m bench dbcost` end to end on SQLite, briefly: the counted provider serves
logins, and the report gives counts per login."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench import config


def per_login(text: str, label: str) -> float:
    (line,) = [line for line in text.splitlines() if line.startswith(f"| {label} |")]
    return float(line.split("|")[2])


def test_a_short_count_on_sqlite(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            *(sys.executable, "-m", "bench", "dbcost", "--database", "sqlite"),
            *("--logins", "10", "--warm-up", "2", "--out", str(tmp_path)),
        ],
        cwd=config.REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (report,) = tmp_path.glob("*-dbcost.md")
    text = report.read_text()
    assert "| per full RAR login | SQLite (10 logins) |" in text
    statements = per_login(text, "statements")
    transactions = per_login(text, "· transactions (BEGIN … COMMIT)")
    # a login writes (PAR, login, picker, code, token) and reads: neither can be zero
    assert statements >= 5
    assert transactions >= 1
    assert per_login(text, "rows written (inserted + updated + deleted)") >= 5
    round_trips = per_login(text, "round trips (statements + BEGIN/COMMIT)")
    assert round_trips == pytest.approx(statements + 2 * transactions, abs=0.02)
