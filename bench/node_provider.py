"""node-oidc-provider: installing it (npm, into the git-ignored bench/node/) and
starting bench/node_server/server.mjs with a generated JSON config.

bench/node_server/ holds what is committed (server, adapters, package.json and the
lock file with pinned versions); they are copied into bench/node/, where `npm ci`
installs node_modules, so that node resolves the packages next to the server.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from bench import config
from bench.config import Setup
from bench.processes import Server, free_port, start_server

SOURCE = config.BENCH / "node_server"
INSTALL = config.BENCH / "node"
FILES = ("server.mjs", "adapters.mjs", "package.json", "package-lock.json")


class NodeUnavailable(RuntimeError):
    """node or npm is missing, or the install failed."""


def ensure_installed() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise NodeUnavailable("node and npm are needed for node-oidc-provider")
    INSTALL.mkdir(exist_ok=True)
    lock_changed = _read(SOURCE / "package-lock.json") != _read(INSTALL / "package-lock.json")
    for name in FILES:
        shutil.copy2(SOURCE / name, INSTALL / name)
    if lock_changed or not (INSTALL / "node_modules" / "oidc-provider").is_dir():
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=INSTALL,
            env=_build_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise NodeUnavailable(f"npm ci failed:\n{done.stdout}\n{done.stderr}")


SYSTEM_NODE_HEADERS = Path("/usr/include/node/node.h")


def _build_env() -> dict[str, str]:
    """better-sqlite3 compiles SQLite with node-gyp, which would download Node's headers
    from nodejs.org unless told where they are; Debian installs them under /usr."""
    env = dict(os.environ)
    if "npm_config_nodedir" not in env and SYSTEM_NODE_HEADERS.exists():
        env["npm_config_nodedir"] = "/usr"
    return env


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


def node_version() -> str:
    return subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that matter, from their package.json."""
    versions = {}
    for name in ("oidc-provider", "koa", "jose", "pg", "better-sqlite3"):
        manifest = INSTALL / "node_modules" / name / "package.json"
        if manifest.exists():
            versions[name] = json.loads(manifest.read_text())["version"]
    bundled = INSTALL / "node_modules" / "better-sqlite3" / "deps" / "sqlite3" / "sqlite3.h"
    if bundled.exists():  # better-sqlite3 compiles its own copy of SQLite
        found = re.search(r'#define SQLITE_VERSION\s+"([^"]+)"', bundled.read_text())
        if found:
            versions["SQLite"] = found.group(1)
    return versions


def start_node(
    setup: Setup, altinn_url: str, database_url: str | None, workdir: Path, log_dir: Path
) -> Server:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = {
        "issuer": url,
        "port": port,
        "altinn_base_url": altinn_url,
        "adapter": setup.store,
        "database_url": database_url if setup.store == "postgres" else None,
        "database_path": database_url.removeprefix("sqlite:///")
        if database_url and setup.store == "sqlite"
        else None,
        "workers": setup.workers,
        "client": {
            "client_id": config.CLIENT_ID,
            "client_secret": config.CLIENT_SECRET,
            "redirect_uri": config.REDIRECT_URI,
        },
    }
    path = workdir / f"{setup.short}.json"
    path.write_text(json.dumps(settings, indent=2))
    return start_server(
        setup.short,
        ["node", str(INSTALL / "server.mjs"), str(path)],
        url=url,
        ready_path="/.well-known/openid-configuration",
        log_dir=log_dir,
        cwd=INSTALL,
        env={"NODE_ENV": "production"},
        ready_log=lambda log: "node-oidc-provider listening" in log,
    )
