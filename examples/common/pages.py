"""Plain HTML pages and the login session of the example services.

The services keep what they must remember between sending the person to the provider
and the callback (state, nonce, PKCE verifier) in a signed session cookie; each service
names its own cookie, so services on the same host do not overwrite each other's.
"""

from __future__ import annotations

import html
import os
import re
from typing import Any

from litestar import Request, Response
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.session.client_side import CookieBackendConfig

from examples.common.relying_party import PendingLogin


def page(title: str, body: str, status: int = 200) -> Response[str]:
    return Response(
        f"<!doctype html><html lang='nb'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title></head><body><main>"
        f"<h1>{html.escape(title)}</h1>{body}</main></body></html>",
        media_type="text/html",
        status_code=status,
    )


def login_button(label: str) -> str:
    return (
        "<form method='post' action='/login'><button type='submit' id='login'>"
        f"{html.escape(label)}</button></form>"
    )


def session_middleware(name: str) -> DefineMiddleware:
    """A signed client-side session in a cookie named after `name` (a fresh key per
    start: a restarted service forgets logins in progress, which is fine for examples).
    Browsers share cookies between ports of one host, so each service needs its own."""
    cookie = "session_" + re.sub(r"[^A-Za-z0-9_-]", "_", name)
    return CookieBackendConfig(secret=os.urandom(32), key=cookie).middleware


def remember(request: Request[Any, Any, Any], pending: PendingLogin) -> None:
    request.session["pending"] = [pending.state, pending.nonce, pending.code_verifier]


def recall(request: Request[Any, Any, Any]) -> PendingLogin | None:
    """The login this browser started, forgotten as it is read (a callback is used once)."""
    saved = request.session.pop("pending", None)
    return PendingLogin(*saved) if saved else None
