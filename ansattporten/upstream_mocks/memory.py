"""Short-lived, bounded, in-process records: pending logins, pushed requests, codes.

A mock is one process, so memory is the honest store; what matters is that every
record expires, that single-use records can be taken only once, and that a flood of
requests cannot grow the process without bound (the caller answers `Full` with
`temporarily_unavailable`, as a real upstream under pressure would).
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from typing import Generic, TypeVar

T = TypeVar("T")


class Full(RuntimeError):
    """The store holds `max_entries` live records already."""


def random_handle(nbytes: int = 32) -> str:
    """An unguessable URL-safe identifier (256 bits by default)."""
    return secrets.token_urlsafe(nbytes)


class Expiring(Generic[T]):
    """Records by key, each with its own deadline on the monotonic clock."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._max_entries = max_entries
        self._records: OrderedDict[str, tuple[float, T]] = OrderedDict()

    def put(self, key: str, value: T, ttl_seconds: float) -> None:
        self._purge()
        if key not in self._records and len(self._records) >= self._max_entries:
            raise Full("too many live records")
        self._records[key] = (time.monotonic() + ttl_seconds, value)

    def get(self, key: str) -> T | None:
        found = self._records.get(key)
        if found is None or found[0] <= time.monotonic():
            return None
        return found[1]

    def take(self, key: str) -> T | None:
        """Remove and return a live record: the second caller gets None."""
        found = self._records.pop(key, None)
        if found is None or found[0] <= time.monotonic():
            return None
        return found[1]

    def discard(self, key: str) -> None:
        self._records.pop(key, None)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def _purge(self) -> None:
        now = time.monotonic()
        expired = [key for key, (deadline, _) in self._records.items() if deadline <= now]
        for key in expired:
            del self._records[key]
