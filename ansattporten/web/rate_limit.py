"""Request rate limits, counted in the database so every instance shares them.

Login form posts are limited per client address; the back-channel endpoints per
client_id (from HTTP Basic) and address, or per address alone. Not per client_id alone:
the limit is counted before the secret is checked and a client_id is public, so anyone
could otherwise use up a service's budget with requests in its name.

Writing every request to the database would make the limit cost more than the request.
Each instance therefore counts locally and adds its hits to the shared counter in
batches of at most a twentieth of the limit (every hit when the limit is small), so a
client can exceed a limit by at most one batch per instance before every instance
refuses it.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from typing import Any, Protocol

from litestar import Response

from ansattporten import routes
from ansattporten.outcomes import error_page
from ansattporten.web.render import json_response
from ansattporten.web.respond import respond
from ansattporten.web.state import AnyRequest, provider_of

WINDOW_SECONDS = 60
LOGIN_PATHS = routes.LOGIN.split("{", 1)[0]
LOGIN_CANCEL_SUFFIX = routes.LOGIN_CANCEL.rsplit("}", 1)[1]


class HitCounts(Protocol):
    """Where the shared counts are kept (the store, handed over by `create_app`)."""

    async def count_hits(self, key: str, window: int, hits: int = 1) -> int:
        """Add `hits` to `key` in `window`; the total so far, over every instance."""
        ...


@dataclass(slots=True)
class _Window:
    window: int
    pending: int = 0
    shared_total: int = 0


class SharedCounter:
    """Fixed-window counts per key, batched into the database."""

    def __init__(self, counts: HitCounts) -> None:
        self._counts = counts
        self._windows: dict[str, _Window] = {}

    async def hit(self, key: str, limit: int, now: float) -> int:
        """Count one hit; return the best known total for this window."""
        window = int(now) // WINDOW_SECONDS
        state = self._windows.get(key)
        if state is None or state.window != window:
            if len(self._windows) > 50_000:
                self._windows.clear()
            state = self._windows[key] = _Window(window)
        state.pending += 1
        batch = max(1, limit // 20)
        if state.pending >= batch or state.shared_total + state.pending > limit:
            hits, state.pending = state.pending, 0
            state.shared_total = await self._counts.count_hits(key, window, hits)
        return state.shared_total + state.pending


def limited_key(request: AnyRequest) -> tuple[str, str] | None:
    """(kind, key) for a request that counts, or None."""
    if request.method != "POST":
        return None
    path = request.scope["path"]  # not request.url: building the URL object costs more
    # at most 64 characters: the key must fit its column (200) with a 100-character
    # client_id, whatever a trusted proxy forwarded as the address
    address = request.client.host[:64] if request.client else "unknown"
    if path.startswith(LOGIN_PATHS) and not path.endswith(LOGIN_CANCEL_SUFFIX):
        return "login", f"login:{address}"
    if path in routes.BACK_CHANNEL:
        client_id = basic_client_id(request)
        return "token", f"token:{client_id}@{address}" if client_id else f"token:{address}"
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
    counter: SharedCounter = request.app.state.rate_counter
    now = time.time()
    if await counter.hit(key, limit, now) <= limit:
        return None
    seconds = WINDOW_SECONDS - int(now) % WINDOW_SECONDS
    retry = {"Retry-After": str(seconds)}
    if kind == "token":
        body = {"error": "invalid_request", "error_description": "too many requests"}
        return json_response(body, 429, retry)
    response = respond(request, error_page("error.rate_limited", status=429, seconds=seconds))
    response.headers.update(retry)
    return response
