"""Validating Ansattporten's JWT access tokens (RFC 9068) in an API, with joserfc.

The provider's keys come from its discovery document (`jwks_uri`) and are cached; a
token signed with a key the cache does not know makes one refresh (key rotation
publishes the next key before using it), at most once per `refresh_interval`, so a
stream of forged `kid`s cannot turn the API into a load generator against the provider.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

ACCESS_TOKEN_TYPES = frozenset({"at+jwt", "application/at+jwt"})
ALGORITHMS = ["RS256", "ES256"]


class InvalidToken(ValueError):
    """The token cannot be trusted (bad signature, wrong issuer, expired, not an access
    token, ...); the message says why, without echoing the token."""


class ProviderKeys:
    """The provider's published signing keys, fetched through discovery and cached."""

    def __init__(
        self, issuer: str, *, max_age: float = 300.0, refresh_interval: float = 10.0
    ) -> None:
        self.issuer = issuer
        self.max_age = max_age
        self.refresh_interval = refresh_interval
        self._keys: KeySet | None = None
        self._fetched_at = 0.0
        self._lock: asyncio.Lock | None = None

    async def _fetch(self) -> KeySet:
        async with httpx.AsyncClient(timeout=10) as http:
            found = await http.get(f"{self.issuer}/.well-known/openid-configuration")
            found.raise_for_status()
            metadata = found.json()
            if metadata.get("issuer") != self.issuer:
                raise InvalidToken("the discovery document names another issuer")
            published = await http.get(metadata["jwks_uri"])
            published.raise_for_status()
            return KeySet.import_key_set(published.json())

    async def get(self, kid: str | None) -> KeySet:
        """The cached keys; refreshed when stale, or when `kid` is unknown and the last
        fetch is older than `refresh_interval`."""
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            age = time.monotonic() - self._fetched_at
            unknown = kid is not None and (
                self._keys is None or not any(key.kid == kid for key in self._keys.keys)
            )
            if (
                self._keys is None
                or age > self.max_age
                or (unknown and age > self.refresh_interval)
            ):
                self._keys = await self._fetch()
                self._fetched_at = time.monotonic()
            return self._keys


class AccessTokenValidator:
    """Checks signature, `typ` (at+jwt), `iss`, `exp` and, when given, `aud`."""

    def __init__(self, issuer: str, *, audience: str | None = None, leeway: int = 5) -> None:
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.keys = ProviderKeys(issuer)

    async def validate(self, token: str) -> dict[str, Any]:
        """The token's claims, or `InvalidToken`."""
        try:
            header = jws.extract_compact(token.encode("ascii")).protected
        except (JoseError, UnicodeError, ValueError) as exc:
            raise InvalidToken("the token is not a signed JWT") from exc
        if str(header.get("typ", "")).lower() not in ACCESS_TOKEN_TYPES:
            raise InvalidToken("the token is not an access token (typ must be at+jwt)")
        try:
            keys = await self.keys.get(header.get("kid"))
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            raise InvalidToken("the provider's keys could not be fetched") from exc
        try:
            decoded = jwt.decode(token, keys, algorithms=ALGORITHMS)
            expected: dict[str, Any] = {
                "iss": {"essential": True, "value": self.issuer},
                "exp": {"essential": True},
                "sub": {"essential": True},
            }
            if self.audience is not None:
                expected["aud"] = {"essential": True, "value": self.audience}
            jwt.JWTClaimsRegistry(leeway=self.leeway, **expected).validate(decoded.claims)
        except JoseError as exc:
            raise InvalidToken(f"the token was refused: {exc.error}") from exc
        return dict(decoded.claims)
