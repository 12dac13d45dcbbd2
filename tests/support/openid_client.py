"""openid-client (npm, pinned in tests/js_clients/ with the other independent clients)
as a relying party: the test plays the browser, `openid_client_rp.mjs` does what a Node
service does (build the authorization request, redeem the code and verify the id_token,
verify a back-channel logout token against the discovered JWKS)."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from tests.support.js_clients import JS_DIR, ensure_installed

__all__ = ["ensure_installed", "run"]


def run(command: str, *args: str) -> dict[str, Any]:
    """One step of the Node relying party; its JSON answer."""
    done = subprocess.run(
        ["node", "openid_client_rp.mjs", command, *args],
        cwd=JS_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"openid-client {command} failed: {done.stderr}"
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer
