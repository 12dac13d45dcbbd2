"""Who may call the mock Altinn, checked as Altinn checks it.

Three gates:

- `OpenGate`: no checks (the demo without Maskinporten, most tests);
- `StaticTokenGate`: one fixed bearer token on every endpoint but `/health` (a stand-in
  for a token obtained elsewhere);
- `MaskinportenGate`: Altinn's real arrangement. `GET /authentication/api/v1/exchange/
  maskinporten` takes a Maskinporten access token as bearer, checks its signature
  against Maskinporten's published keys (found through its metadata), its issuer and
  expiry, and answers an Altinn token (a JWT, as text) carrying the same scopes and
  organisation, living as long as the Maskinporten token at most. The APIs then want an
  Altinn token with their scope: authorized parties
  `altinn:accessmanagement/authorizedparties.resourceowner` (or `.admin`), the PDP
  `altinn:authorization/authorize`; the resource registry is open, as Altinn's is.
  401 without a valid, unexpired token; 403 without the scope. With
  `accept_maskinporten_tokens`, a Maskinporten token is also taken directly.
"""

from __future__ import annotations

import hmac
import json
import time
import uuid
from typing import Any, Protocol

import msgspec
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from authz_sources.errors import SourceUnavailable
from authz_sources.register_http import RegisterHttp

PARTIES_SCOPES = (
    "altinn:accessmanagement/authorizedparties.resourceowner",
    "altinn:accessmanagement/authorizedparties.admin",
)
PDP_SCOPES = ("altinn:authorization/authorize",)
ANY_VALID: tuple[str, ...] = ()
"""Any valid token will do (the Altinn 2 endpoints)."""
_REGISTRY = jws.JWSRegistry(algorithms=["RS256", "RS384", "RS512"])
MAX_KEYS_BYTES = 1_000_000
"""Largest metadata or JWKS answer read from Maskinporten."""


class Refused(Exception):
    """The caller may not: 401 (no valid token) or 403 (no scope)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class Gate(Protocol):
    async def check(self, authorization: str, scopes: tuple[str, ...] | None) -> None:
        """Raise Refused unless the Authorization header lets the caller in; `scopes`
        None means the endpoint is open."""
        ...


class OpenGate:
    async def check(self, authorization: str, scopes: tuple[str, ...] | None) -> None:
        return None


class StaticTokenGate:
    def __init__(self, token: str) -> None:
        self._expected = f"Bearer {token}".encode()

    async def check(self, authorization: str, scopes: tuple[str, ...] | None) -> None:
        if not hmac.compare_digest(authorization.encode(), self._expected):
            raise Refused(401, "a valid bearer token is required")


def _bearer(authorization: str) -> str:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Refused(401, "a bearer token is required")
    return token.strip()


class MaskinportenGate:
    """Exchange of Maskinporten tokens, and scope checks on Altinn tokens."""

    def __init__(
        self,
        maskinporten_issuer: str,
        *,
        accept_maskinporten_tokens: bool = False,
        altinn_token_lifetime: int = 1800,
    ) -> None:
        self.maskinporten_issuer = maskinporten_issuer
        self.accept_maskinporten_tokens = accept_maskinporten_tokens
        self.altinn_token_lifetime = altinn_token_lifetime
        self.key = RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex}, private=True)
        self.issuer = "urn:mock-altinn:authentication"
        self._maskinporten_keys: KeySet | None = None
        self._fetched_at = 0.0
        self.exchanges = 0

    async def check(self, authorization: str, scopes: tuple[str, ...] | None) -> None:
        if scopes is None:
            return
        claims = self._altinn_claims(_bearer(authorization))
        if claims is None and self.accept_maskinporten_tokens:
            claims = await self._maskinporten_claims(_bearer(authorization))
        if claims is None:
            raise Refused(401, "the bearer token is not a valid Altinn token")
        granted = str(claims.get("scope", "")).split()
        if scopes and not any(scope in granted for scope in scopes):
            raise Refused(403, f"the token lacks the scope {scopes[0]}")

    def _altinn_claims(self, token: str) -> dict[str, Any] | None:
        claims = _verified(token, self.key)
        if claims is None or claims.get("iss") != self.issuer:
            return None
        return claims if _unexpired(claims) else None

    async def _maskinporten_claims(self, token: str) -> dict[str, Any] | None:
        keys = await self._keys(refresh=False)
        claims = _verified(token, keys)
        if claims is None:  # maybe Maskinporten rotated its key
            claims = _verified(token, await self._keys(refresh=True))
        issuer = self.maskinporten_issuer.rstrip("/")
        if claims is None or str(claims.get("iss", "")).rstrip("/") != issuer:
            return None
        return claims if _unexpired(claims) else None

    async def exchange(self, authorization: str) -> str:
        """An Altinn token for a valid Maskinporten token (Refused 401 otherwise)."""
        claims = await self._maskinporten_claims(_bearer(authorization))
        if claims is None:
            raise Refused(401, "not a valid Maskinporten token")
        self.exchanges += 1
        now = int(time.time())
        consumer = claims.get("consumer") or {}
        orgno = str(consumer.get("ID", "")).rpartition(":")[2] if isinstance(consumer, dict) else ""
        altinn = {
            "iss": self.issuer,
            "scope": claims.get("scope", ""),
            "client_id": claims.get("client_id"),
            "consumer": consumer,
            "urn:altinn:orgNumber": orgno,
            "urn:altinn:authenticatemethod": "maskinporten",
            "urn:altinn:authlevel": 3,
            "iat": now,
            "nbf": now,
            "exp": min(int(claims["exp"]), now + self.altinn_token_lifetime),
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, altinn, self.key)

    async def _keys(self, *, refresh: bool) -> KeySet:
        """Maskinporten's signing keys from its metadata's `jwks_uri`, cached; refetched
        at most once a second when a token does not verify."""
        now = time.monotonic()
        if self._maskinporten_keys is not None and not (refresh and now - self._fetched_at > 1):
            return self._maskinporten_keys
        base = self.maskinporten_issuer.rstrip("/")
        try:
            async with RegisterHttp(
                "Maskinporten",
                headers={},
                timeout_seconds=5,
                max_bytes=MAX_KEYS_BYTES,
                max_connections=1,
            ) as http:
                metadata = await http.request(
                    "GET", f"{base}/.well-known/oauth-authorization-server"
                )
                jwks = await http.request("GET", json.loads(metadata.body)["jwks_uri"])
            self._maskinporten_keys = KeySet.import_key_set(json.loads(jwks.body))
            self._fetched_at = now
        except (SourceUnavailable, ValueError, KeyError, TypeError, JoseError) as exc:
            if self._maskinporten_keys is None:
                raise Refused(401, f"Maskinporten's keys cannot be fetched ({exc})") from exc
        return self._maskinporten_keys


def _verified(token: str, key: RSAKey | KeySet) -> dict[str, Any] | None:
    try:
        compact = jws.deserialize_compact(token, key, registry=_REGISTRY)
        claims = msgspec.json.decode(compact.payload)
    except (JoseError, ValueError, KeyError, msgspec.DecodeError):
        return None
    return claims if isinstance(claims, dict) else None


def _unexpired(claims: dict[str, Any]) -> bool:
    exp = claims.get("exp")
    return isinstance(exp, int) and exp > time.time()
