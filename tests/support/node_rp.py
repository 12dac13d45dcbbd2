"""openid-client (npm, pinned in tests/node_rp/) as an independent relying party: the
test plays the browser, `tests/node_rp/rp.mjs` does what a Node service does (build the
authorization request, redeem the code and verify the id_token, verify a back-channel
logout token against the discovered JWKS)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

NODE_DIR = Path(__file__).resolve().parents[1] / "node_rp"
PINNED = json.loads((NODE_DIR / "package.json").read_text())["dependencies"]


def ensure_installed() -> None:
    """`npm ci` into tests/node_rp/node_modules unless the pinned versions are there."""
    assert shutil.which("node"), "node is needed (Debian's nodejs; .ci/run)"
    assert shutil.which("npm"), "npm is needed (Debian's npm; .ci/run)"
    installed = [NODE_DIR / "node_modules" / name / "package.json" for name in PINNED]
    if all(
        path.exists() and json.loads(path.read_text())["version"] == PINNED[path.parent.name]
        for path in installed
    ):
        return
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"npm ci failed:\n{done.stdout}\n{done.stderr}"


def run(command: str, *args: str) -> dict[str, Any]:
    """One step of the Node relying party; its JSON answer."""
    done = subprocess.run(
        ["node", "rp.mjs", command, *args],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"openid-client {command} failed: {done.stderr}"
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer
