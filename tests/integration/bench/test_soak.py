"""`python -m bench soak` end to end, briefly: the provider, the mock Altinn and paced
logins, sampled and written up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench import config


def test_a_short_soak_writes_samples_and_no_errors(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            *(sys.executable, "-m", "bench", "soak", "--seconds", "6", "--rate", "10"),
            *("--every", "2", "--out", str(tmp_path)),
        ],
        cwd=config.REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (report,) = tmp_path.glob("*-soak-sqlite.md")
    text = report.read_text()
    assert "errors: 0" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) >= 4  # at 0, 2, 4, 6 s (and the last)
    assert int(rows[-1].split("|")[3]) >= 50  # logins done, about 60 at 10/s
    assert "db-wal MiB" in text
