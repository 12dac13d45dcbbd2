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


def test_short_lifetimes_are_accepted_by_the_provider_and_the_file_levels_off(
    tmp_path: Path,
) -> None:
    """`--lifetimes 4`: the provider starts with every setting written (it refuses
    unknown ones), the logins succeed within the short lifetimes, and once the purge
    keeps up (9 s) the file stays within its bound."""
    args = ("soak", "--seconds", "16", "--rate", "10", "--every", "1", "--lifetimes", "4")
    text = bench_report(tmp_path, "*-soak-sqlite.md", *args)
    assert "errors: 0" in text
    assert "(`--lifetimes 4`): par_lifetime 4," in text
    assert "audit_retention_days 4.62963e-05 (4 s)" in text
    assert "bounded file: db over the last third" in text
    assert "→ bounded" in text
