"""`python -m bench steps` end to end on SQLite, briefly: every request of a login is
timed under its step, and the floor app answers."""

from __future__ import annotations

from pathlib import Path

from bench.step_labels import OTHER, STEP_NAMES
from tests.integration.bench.running import bench_report


def row(text: str, label: str) -> list[str]:
    (line,) = [line for line in text.splitlines() if line.startswith(f"| {label} |")]
    return [cell.strip() for cell in line.strip("|").split("|")][1:]


def test_a_short_run_on_sqlite(tmp_path: Path) -> None:
    args = ("steps", "--database", "sqlite", "--logins", "5", "--warm-up", "2")
    text = bench_report(tmp_path, "*-steps.md", *args, "--floor-requests", "50")
    for step in STEP_NAMES:
        ms_per_login, requests, _per_request = row(text, step)
        assert requests == "1.00", step  # each step once per login, nothing unlabelled
        assert float(ms_per_login) > 0, step
    assert not any(line.startswith(f"| {OTHER} |") for line in text.splitlines())
    for floor in ("small HTML page (3 KB, no template)", "303 redirect"):
        assert float(row(text, floor)[0]) > 0
