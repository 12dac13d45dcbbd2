"""The upstream's signing keys, from its `jwks_uri`, kept and refetched as keys rotate.

A token signed with a `kid` we hold is checked against that key. A `kid` we do not hold
makes us fetch the keys again at once (the upstream has rotated); a `kid` still missing
after that is remembered for `jwks_refetch_seconds`, so tokens naming it again do not
fetch again (at most `MAX_MISSING` such kids are remembered). One fetch runs at a time;
callers waiting for it use its result. The set is kept `jwks_cache_seconds`, so a key
the upstream withdrew stops being trusted within that time. At most `MAX_KEYS` keys are
read, and the answer is bounded in size and time by `UpstreamHttp`.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Final

import msgspec
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ansattporten.eid.upstream.errors import UpstreamRefused, UpstreamUnavailable
from ansattporten.eid.upstream.http import UpstreamHttp
from ansattporten.settings_eids import EidConfig

MAX_KEYS: Final = 100
MAX_MISSING: Final = 100
SIGNING_TYPES: Final = frozenset({"RSA", "EC"})


class JsonWebKeySet(msgspec.Struct, frozen=True):
    keys: list[dict[str, Any]]


_DECODER: Final = msgspec.json.Decoder(JsonWebKeySet)


class UpstreamKeys:
    """One upstream's published keys, by `kid`."""

    def __init__(self, config: EidConfig, http: UpstreamHttp) -> None:
        self._config = config
        self._http = http
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at: float | None = None
        self._missing: dict[str, float] = {}
        self._lock = asyncio.Lock()

    async def key(self, jwks_uri: str, kid: str) -> dict[str, Any]:
        """The published JWK named `kid`; UpstreamRefused when the upstream does not
        publish it (also after fetching the keys again)."""
        if self._fresh() and kid in self._keys:
            return self._keys[kid]
        async with self._lock:
            if not (self._fresh() and kid in self._keys) and self._may_fetch(kid):
                await self._fetch(jwks_uri)
        found = self._keys.get(kid) if self._fresh() else None
        if found is None:
            self._remember_missing(kid)
            raise UpstreamRefused(f"eID {self._config.name!r}: the token's key is not published")
        return found

    def _fresh(self) -> bool:
        return (
            self._fetched_at is not None
            and time.monotonic() - self._fetched_at < self._config.jwks_cache_seconds
        )

    def _may_fetch(self, kid: str) -> bool:
        """Not for a kid that was missing from a fetch a moment ago (unless the keys
        are stale anyway)."""
        looked = self._missing.get(kid)
        recent = (
            looked is not None and time.monotonic() - looked < self._config.jwks_refetch_seconds
        )
        return not (recent and self._fresh())

    def _remember_missing(self, kid: str) -> None:
        if len(self._missing) >= MAX_MISSING:
            self._missing.clear()
        self._missing[kid] = time.monotonic()

    async def _fetch(self, jwks_uri: str) -> None:
        status, body = await self._http.get(jwks_uri)
        if status != 200:
            raise UpstreamUnavailable(f"{self._http.label}: jwks_uri answered HTTP {status}")
        try:
            document = _DECODER.decode(body)
            if len(document.keys) > MAX_KEYS:
                raise ValueError(f"more than {MAX_KEYS} keys")
            keys = {
                str(jwk["kid"]): jwk
                for jwk in document.keys
                if jwk.get("kty") in SIGNING_TYPES
                and jwk.get("use", "sig") == "sig"
                and isinstance(jwk.get("kid"), str)
            }
            KeySet.import_key_set({"keys": list(keys.values())})  # every key must import
        except (msgspec.DecodeError, ValueError, JoseError) as exc:
            raise UpstreamUnavailable(f"{self._http.label}: the keys are malformed: {exc}") from exc
        self._keys = keys
        self._fetched_at = time.monotonic()
        for kid in keys:
            self._missing.pop(kid, None)
