"""`python -m bench soak` end to end, briefly: the provider, the mock Altinn and paced
logins, sampled and written up."""

from __future__ import annotations

from pathlib import Path

from tests.integration.bench.running import bench_report


def test_a_short_soak_writes_samples_and_no_errors(tmp_path: Path) -> None:
    args = ("soak", "--seconds", "6", "--rate", "10", "--every", "2")
    text = bench_report(tmp_path, "*-soak-sqlite.md", *args)
    assert "errors: 0" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) >= 4  # at 0, 2, 4, 6 s (and the last)
    assert int(rows[-1].split("|")[3]) >= 50  # logins done, about 60 at 10/s
    assert "db-wal MiB" in text
