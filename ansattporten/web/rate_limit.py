"""Request rate limits, counted in the database so every instance shares them.

Login form posts are limited per client address; the back-channel endpoints per
client_id (from HTTP Basic) or, without it, per address. One upsert per limited
request; everything else is not counted.
"""

from __future__ import annotations

import base64
import time
from typing import Any

from litestar import Response

from ansattporten.flows.results import error_page
from ansattporten.web.render import json_response
from ansattporten.web.state import AnyRequest, provider_of, renderer_of

BACK_CHANNEL = ("/token", "/par", "/token/introspect", "/token/revoke")
WINDOW_SECONDS = 60


def limited_key(request: AnyRequest) -> tuple[str, str] | None:
    """(kind, key) for a request that counts, or None."""
    if request.method != "POST":
        return None
    path = request.url.path
    address = request.client.host if request.client else "unknown"
    if path.startswith("/login/") and not path.endswith("/cancel"):
        return "login", f"login:{address}"
    if path in BACK_CHANNEL:
        return "token", f"token:{basic_client_id(request) or address}"
    return None


def basic_client_id(request: AnyRequest) -> str | None:
    header = request.headers.get("authorization", "")
    if header[:6].lower() != "basic ":
        return None
    try:
        client_id = base64.b64decode(header[6:], validate=True).split(b":", 1)[0].decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return client_id[:100] if "\x00" not in client_id else None


async def enforce_rate_limit(request: AnyRequest) -> Response[Any] | None:
    provider = provider_of(request)
    settings = provider.settings
    limited = limited_key(request) if settings.rate_limit else None
    if limited is None:
        return None
    kind, key = limited
    limit = (
        settings.login_attempts_per_minute
        if kind == "login"
        else settings.token_requests_per_minute
    )
    window = int(time.time()) // WINDOW_SECONDS
    if await provider.store.count_hit(key, window) <= limit:
        return None
    retry = {"Retry-After": str(WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS)}
    if kind == "token":
        body = {"error": "invalid_request", "error_description": "too many requests"}
        return json_response(body, 429, retry)
    response = renderer_of(request).page(error_page("error.rate_limited", status=429))
    response.headers.update(retry)
    return response
