"""The independent JavaScript clients of tests/js_clients (pinned by its lock file):
oauth4webapi run by node, and oidc-client-ts's browser build for a page in Chromium.

    results = run_oauth4webapi(config, browse)

`run_oauth4webapi` starts `oauth4webapi_flow.mjs` with `config`, hands the
authorization URL it prints to `browse` (which plays the person and returns the URL the
browser was sent back to), and returns what the script found, or raises with the
library's own error.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tests.support.npm import npm_ci

JS_DIR = Path(__file__).resolve().parents[1] / "js_clients"
OIDC_CLIENT_TS = JS_DIR / "node_modules" / "oidc-client-ts" / "dist" / "browser"
"""`oidc-client-ts.min.js` here is the library's own browser build (global `oidc`)."""


class ClientFailed(AssertionError):
    """The client library refused something the provider answered."""


def ensure_installed() -> None:
    npm_ci(JS_DIR)


def run_oauth4webapi(
    config: Mapping[str, Any], browse: Callable[[str], str], timeout: float = 60
) -> dict[str, Any]:
    ensure_installed()
    with tempfile.TemporaryDirectory(prefix="oauth4webapi-") as folder:
        path = Path(folder) / "config.json"
        path.write_text(json.dumps(config))
        with subprocess.Popen(
            ["node", str(JS_DIR / "oauth4webapi_flow.mjs"), str(path)],
            cwd=JS_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as process:
            assert process.stdin is not None
            assert process.stdout is not None
            try:
                return converse(process, browse)
            finally:
                process.stdin.close()
                process.wait(timeout=timeout)


def converse(process: subprocess.Popen[str], browse: Callable[[str], str]) -> dict[str, Any]:
    assert process.stdin is not None
    assert process.stdout is not None
    for line in process.stdout:
        message = json.loads(line)
        if message["step"] == "authorize":
            process.stdin.write(json.dumps({"callback": browse(message["url"])}) + "\n")
            process.stdin.flush()
        elif message["step"] == "done":
            results: dict[str, Any] = message["results"]
            return results
        else:
            raise ClientFailed(json.dumps(message, indent=2))
    stderr = process.stderr.read() if process.stderr else ""
    raise ClientFailed(f"oauth4webapi_flow.mjs ended without an answer:\n{stderr}")
