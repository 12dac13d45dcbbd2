"""A single-page app for the browser tests, served from an origin of its own: the page
and script of tests/js_clients/spa, oidc-client-ts's own browser build from the pinned
node_modules (no CDN), and `/config.js` naming the provider and the client.

The app is served on 127.0.0.1 but addressed as `http://localhost:<port>`, another host
than the provider's `127.0.0.1`: the browser treats every call to the provider as
cross-origin (and cross-site), and a secure context (localhost) gives it WebCrypto for
PKCE and DPoP.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from tests.support.js_clients import JS_DIR, OIDC_CLIENT_TS, ensure_installed
from tests.support.servers import answer_lifespan, serve_in_thread

SPA_DIR = JS_DIR / "spa"
FILES: Mapping[str, tuple[Path, bytes]] = {
    "/": (SPA_DIR / "index.html", b"text/html; charset=utf-8"),
    "/callback.html": (SPA_DIR / "index.html", b"text/html; charset=utf-8"),
    "/app.js": (SPA_DIR / "app.js", b"text/javascript"),
    "/oidc-client-ts.min.js": (OIDC_CLIENT_TS / "oidc-client-ts.min.js", b"text/javascript"),
}


def spa_app(config: Mapping[str, Any]) -> Any:
    script = f"window.SPA_CONFIG = {json.dumps(dict(config))};\n".encode()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await answer_lifespan(receive, send)
            return
        status, body, media = 404, b"not found", b"text/plain"
        if scope["path"] == "/config.js":
            status, body, media = 200, script, b"text/javascript"
        elif scope["path"] in FILES:
            path, media = FILES[scope["path"]]
            status, body = 200, path.read_bytes()
        headers = [(b"content-type", media), (b"cache-control", b"no-store")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


@contextlib.contextmanager
def serve_spa(sock: Any, config: Mapping[str, Any]) -> Iterator[str]:
    """Serve the app on `sock`; yields its origin, `http://localhost:<port>`."""
    ensure_installed()
    with serve_in_thread(spa_app(config), sock):
        yield f"http://localhost:{sock.getsockname()[1]}"
