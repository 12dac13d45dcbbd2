"""Resource titles from the resource registry, cached briefly in memory.

A title is display text that rarely changes, and a grant needs one per requested
resource; caching saves a registry round trip inside the login's time budget. The cache
only ever holds ids the register confirmed a party holds, and is bounded anyway.
"""

from __future__ import annotations

import time

from authz_sources.altinn.client import AltinnClient
from authz_sources.altinn.wire import LocalizedText
from authz_sources.errors import SourceUnavailable

MAX_ENTRIES = 1000


def language(locale: str) -> str:
    """`nb-NO` -> `nb`; the registry's languages are nb, nn and en."""
    return locale.split("-")[0].split("_")[0].lower()


class TitleCache:
    """`resource id -> title` with a time-to-live (0 disables caching)."""

    def __init__(self, client: AltinnClient, ttl_seconds: float) -> None:
        self._client = client
        self._ttl = ttl_seconds
        self._entries: dict[str, tuple[float, LocalizedText]] = {}

    async def title(self, resource_id: str, locale: str) -> str:
        """The title in the person's language, falling back to bokmål, then any."""
        now = time.monotonic()
        cached = self._entries.get(resource_id)
        if cached is not None and cached[0] > now:
            text = cached[1]
        else:
            text = (await self._client.resource(resource_id)).title
            if self._ttl > 0:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.clear()
                self._entries[resource_id] = (now + self._ttl, text)
        picked = text.pick(language(locale))
        if not picked:
            raise SourceUnavailable(f"Altinn resource registry: {resource_id} has no title")
        return picked
