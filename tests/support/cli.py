"""Running the `ansattporten` command as an operator would: a separate process, a
settings file, and no ANSATTPORTEN_* variables leaking in from the test environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONSOLE_SCRIPT = Path(sys.executable).with_name("ansattporten")


def write_settings(folder: Path, database_url: str) -> Path:
    """A minimal TOML settings file pointing at a database."""
    path = folder / "ansattporten.toml"
    path.write_text(f'database_url = "{database_url}"\n', encoding="utf-8")
    return path


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    command = (
        [str(CONSOLE_SCRIPT)]
        if CONSOLE_SCRIPT.exists()
        else [sys.executable, "-c", "from ansattporten.cli import main; main()"]
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ANSATTPORTEN_")}
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        check=False,
    )
