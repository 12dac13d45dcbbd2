"""npm packages the tests run, pinned by a package.json and its lock file under tests/
and installed with `npm ci` (.ci/run does it up front; a test does it when missing)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path


class NodeUnavailable(RuntimeError):
    """node or npm is missing, the install failed, or a node process did not start."""


def pinned(folder: Path) -> dict[str, str]:
    dependencies: dict[str, str] = json.loads((folder / "package.json").read_text())["dependencies"]
    return dependencies


def npm_ci(folder: Path) -> None:
    """`npm ci` in `folder` unless every pinned package is installed at its version."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise NodeUnavailable("node and npm are needed (Debian's nodejs and npm; .ci/run)")
    if all(installed(folder, name) == version for name, version in pinned(folder).items()):
        return
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise NodeUnavailable(f"npm ci failed in {folder.name}:\n{done.stdout}\n{done.stderr}")


def installed(folder: Path, package: str) -> str | None:
    manifest = folder / "node_modules" / package / "package.json"
    if not manifest.exists():
        return None
    version: str = json.loads(manifest.read_text())["version"]
    return version
