"""Signing keys shared by every instance through the database.

Every instance signs with, for each algorithm, the newest key whose activation time has
come, and publishes every key that is not yet retired, so the JWKS is the same wherever
a client fetches it. Rotation publishes the next key before it signs (clients that
cache the JWKS learn it in time) and keeps the previous key published until every token
it signed has expired. Keys are re-read at most every `reload_seconds`, which is how a
rotation done by `ansattporten keys rotate` reaches running instances.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ansattporten.records import SigningKey
from ansattporten.spec.jose import SigningKeys, generate_private_jwk
from ansattporten.store import Store

ALGORITHMS = ("RS256", "ES256")
FIRST_KEY_BACKDATED = 300.0
"""A key created because none was active counts as active from this many seconds
before its creation: a worker whose clock read came a moment before another's, and
which then finds that one's key, counts it as active too instead of adding its own.
(Clocks of instances further apart than this are not supported anyway.)"""


class KeyRing:
    def __init__(self, store: Store, *, reload_seconds: float = 60.0) -> None:
        self._store = store
        self._keys: SigningKeys | None = None
        self._built_from: tuple[tuple[str, float, float | None], ...] = ()
        self._loaded_at = 0.0
        self.reload_seconds = reload_seconds

    @property
    def keys(self) -> SigningKeys:
        assert self._keys is not None, "KeyRing.load() was not awaited at start"
        return self._keys

    async def load(self, now: float | None = None) -> None:
        """Read the keys, creating a signing key for an algorithm that has none due (on
        first start, or when only a not-yet-active key was published). Workers starting
        together on an empty database each find none; only the first creates one
        (`Store.add_signing_key_if_none_active`), and all read back the same keys."""
        now = time.time() if now is None else now
        rows = await self._store.signing_keys()
        missing = [alg for alg in ALGORITHMS if active_key(rows, alg, now) is None]
        for alg in missing:
            first = new_key_row(alg, now, activate_at=now - FIRST_KEY_BACKDATED)
            await self._store.add_signing_key_if_none_active(first, now)
        if missing:
            rows = await self._store.signing_keys()
        built_from = key_set_shape(rows, now)
        if self._keys is None or built_from != self._built_from:
            self._keys = build_signing_keys(rows, now)
            self._built_from = built_from
        self._loaded_at = time.monotonic()

    async def refresh_if_stale(self) -> None:
        if time.monotonic() - self._loaded_at >= self.reload_seconds:
            await self.load()


def new_key_row(
    alg: str, now: float, *, activate_at: float, private_jwk: dict[str, Any] | None = None
) -> SigningKey:
    """A key to add: `private_jwk` when the operator brought one, else a new one."""
    jwk = private_jwk or generate_private_jwk("ES256" if alg == "ES256" else "RS256")
    return SigningKey(
        kid=jwk["kid"],
        alg=alg,
        private_jwk=jwk,
        created_at=now,
        activate_at=activate_at,
        retire_at=None,
    )


def published(rows: Sequence[SigningKey], now: float) -> list[SigningKey]:
    return [row for row in rows if row.retire_at is None or row.retire_at > now]


def active_key(rows: Sequence[SigningKey], alg: str, now: float) -> SigningKey | None:
    due = [row for row in published(rows, now) if row.alg == alg and row.activate_at <= now]
    return max(due, key=lambda row: (row.activate_at, row.created_at), default=None)


def key_set_shape(
    rows: Sequence[SigningKey], now: float
) -> tuple[tuple[str, float, float | None], ...]:
    """What `build_signing_keys` depends on: the published keys, active ones first.
    Importing the private keys again costs ~40 ms of the event loop (RSA key checks), so
    a reload that finds the same shape keeps the keys it has."""
    actives = [key for alg in ALGORITHMS if (key := active_key(rows, alg, now))]
    others = [row for row in published(rows, now) if row not in actives]
    return tuple((row.kid, row.activate_at, row.retire_at) for row in actives + others)


def build_signing_keys(rows: Sequence[SigningKey], now: float) -> SigningKeys:
    """Active keys first (SigningKeys signs each algorithm with its first key)."""
    actives = [key for alg in ALGORITHMS if (key := active_key(rows, alg, now))]
    others = [row for row in published(rows, now) if row not in actives]
    rs256 = active_key(rows, "RS256", now)
    assert rs256 is not None, "no RS256 key is active"
    return SigningKeys([row.private_jwk for row in actives + others], active_kid=rs256.kid)


@dataclass(frozen=True, slots=True)
class Rotation:
    new_kid: str
    activate_at: float
    previous_kid: str | None
    previous_retire_at: float | None


async def rotate(
    store: Store,
    alg: str,
    *,
    now: float,
    publish_ahead: float,
    keep_previous: float,
    private_jwk: dict[str, Any] | None = None,
) -> Rotation:
    """Publish a new key now that starts signing after `publish_ahead` seconds; the key
    signing today retires `keep_previous` seconds after that (longer than any token it
    signed can live). `private_jwk`: the key the operator imported (with its
    certificate chain), instead of a generated one."""
    rows = await store.signing_keys()
    previous = active_key(rows, alg, now)
    key = new_key_row(alg, now, activate_at=now + publish_ahead, private_jwk=private_jwk)
    await store.add_signing_key(key)
    retire_at = None
    if previous is not None:
        retire_at = key.activate_at + keep_previous
        await store.retire_signing_key(previous.kid, retire_at)
    return Rotation(key.kid, key.activate_at, previous.kid if previous else None, retire_at)


def key_state(row: SigningKey, rows: Sequence[SigningKey], now: float) -> str:
    if row.retire_at is not None and row.retire_at <= now:
        return "retired"
    if row.activate_at > now:
        return "next"
    active = active_key(rows, row.alg, now)
    return "active" if active is not None and active.kid == row.kid else "previous"
