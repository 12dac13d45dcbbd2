"""Running a `python -m bench` command briefly, as a user would, and reading its report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench import config


def bench_report(out: Path, pattern: str, *args: str) -> str:
    """`python -m bench ARGS --out OUT`, which must succeed; the one report it wrote."""
    done = subprocess.run(
        [sys.executable, "-m", "bench", *args, "--out", str(out)],
        cwd=config.REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (report,) = out.glob(pattern)
    return report.read_text()
