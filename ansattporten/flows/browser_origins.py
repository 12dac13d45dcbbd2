"""The origins whose browser code may call the provider's back-channel endpoints (CORS):
the origin of every registered redirect URI and each client's `allowed_cors_origins`.

A single-page app is a public client living at the origin its redirect URI names, so
that origin is allowed without asking the operator twice; an app whose code is served
from elsewhere registers that origin explicitly. The set is the union over every
client: a preflight names no client, and a browser sends no credentials of the
person's along (the provider never allows credentialed CORS), so nothing is gained by
tying an origin to one client.

Clients change only through settings or the command line, so each process keeps the set
for `CACHE_SECONDS`, like the clients themselves.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

from ansattporten.records import Client
from ansattporten.spec.rfc6454 import origin_of
from ansattporten.store import Store

CACHE_SECONDS = 5.0


def origins_of(clients: Iterable[Client]) -> frozenset[str]:
    origins: set[str] = set()
    for client in clients:
        origins.update(o for uri in client.redirect_uris if (o := origin_of(uri)) is not None)
        origins.update(client.allowed_cors_origins)
    return frozenset(origins)


class BrowserOrigins:
    def __init__(self, store: Store, *, cache_seconds: float = CACHE_SECONDS) -> None:
        self._store = store
        self._cache_seconds = cache_seconds
        self._origins: frozenset[str] = frozenset()
        self._loaded_at = float("-inf")
        self._lock = asyncio.Lock()

    async def allows(self, origin: str) -> bool:
        """Whether `origin` (an `Origin` header, as the browser sent it) may call."""
        if self._stale():
            async with self._lock:  # one reload, however many requests wait for it
                if self._stale():
                    self._origins = origins_of(await self._store.list_clients())
                    self._loaded_at = time.monotonic()
        return origin in self._origins

    def _stale(self) -> bool:
        return time.monotonic() - self._loaded_at >= self._cache_seconds
