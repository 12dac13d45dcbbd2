"""Signing keys shared by every instance through the database.

The first instance to start generates an RS256 key; every instance signs with the
oldest key that is due to sign and publishes every key not yet retired, so the JWKS is
the same wherever a client fetches it. Keys are re-read at most every minute, which is
how a rotation done by `ansattporten keys rotate` reaches running instances.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from ansattporten.spec.jose import SigningKeys, generate_private_jwk
from ansattporten.store import SigningKey, Store

RELOAD_SECONDS = 60.0


class KeyRing:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._keys: SigningKeys | None = None
        self._loaded_at = 0.0

    @property
    def keys(self) -> SigningKeys:
        assert self._keys is not None, "KeyRing.load() was not awaited at start"
        return self._keys

    async def load(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        rows = await self._store.signing_keys()
        if not any(row.alg == "RS256" for row in rows):
            await self._store.add_signing_key(new_key_row("RS256", now, activate_at=now))
            rows = await self._store.signing_keys()
        self._keys = build_signing_keys(rows, now)
        self._loaded_at = time.monotonic()

    async def refresh_if_stale(self) -> None:
        if time.monotonic() - self._loaded_at > RELOAD_SECONDS:
            await self.load()


def new_key_row(alg: str, now: float, *, activate_at: float) -> SigningKey:
    jwk = generate_private_jwk(alg)  # type: ignore[arg-type]
    return SigningKey(
        kid=jwk["kid"],
        alg=alg,
        private_jwk=jwk,
        created_at=now,
        activate_at=activate_at,
        retire_at=None,
    )


def build_signing_keys(rows: Sequence[SigningKey], now: float) -> SigningKeys:
    published = [row for row in rows if row.retire_at is None or row.retire_at > now]
    signing = [row for row in published if row.activate_at <= now and row.alg == "RS256"]
    active = max(signing, key=lambda row: row.activate_at)
    jwks: list[dict[str, Any]] = [row.private_jwk for row in published]
    return SigningKeys(jwks, active_kid=active.kid)
