"""Benchmark of this provider against node-oidc-provider: `python -m bench [--quick]`
from the repository root (README.md, "Benchmark").

The harness needs the project's virtualenv (httpx, and `ansattporten` for its settings
and CLI). Started as `python -m bench` with another interpreter, it re-runs itself with
`.venv/bin/python` when that exists.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

_VENV_PYTHON = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python"

if any(importlib.util.find_spec(name) is None for name in ("httpx", "ansattporten")):
    if sys.argv[:1] == ["-m"] and _VENV_PYTHON.exists():
        os.execv(_VENV_PYTHON, [str(_VENV_PYTHON), "-m", "bench", *sys.argv[1:]])
    raise SystemExit(
        "bench needs the project's virtualenv (scripts/test or scripts/demo creates .venv): "
        ".venv/bin/python -m bench"
    )
