"""How the mock Maskinporten checks a JWT grant, with Maskinporten's own rules and
error codes (its troubleshooting page): the client must be registered (MP-100), `aud`
must be the issuer (MP-110), the signature must come from a key registered on the
client or a registered business certificate (MP-120), the grant must be fresh (`iat`
within 10 s, `exp - iat` at most 120 s; MP-130), used once when it has a `jti`
(MP-012), and every scope must be registered on the client (MP-200).

Registered clients come from a JSON file (or mapping)::

    {"clients": [
      {"client_id": "ansattporten-test",
       "orgno": "991825827",
       "scopes": ["altinn:accessmanagement/authorizedparties.resourceowner",
                  "altinn:authorization/authorize"],
       "jwks": {"keys": [<public RSA JWK with "kid">, ...]},
       "certificates": ["-----BEGIN CERTIFICATE-----\\n..."]}
    ]}

A certificate is accepted when the grant's `x5c` leaf is exactly one of the registered
certificates (the real service checks the chain and the organisation number in it).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

import msgspec
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

ALGORITHMS = ["RS256", "RS384", "RS512"]
CLOCK_SKEW = 10
MAX_GRANT_LIFETIME = 120
_REGISTRY = jws.JWSRegistry(algorithms=ALGORITHMS)
_REGISTRY.max_header_length = 16_000  # an `x5c` certificate chain is several kilobytes


class RegisteredClient(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One client as registered in Maskinporten's self-service."""

    client_id: str
    orgno: Annotated[str, msgspec.Meta(pattern=r"^\d{9}$")]
    scopes: list[str]
    jwks: dict[str, Any] = msgspec.field(default_factory=lambda: {"keys": []})
    certificates: list[str] = msgspec.field(default_factory=list)


class ClientsFile(msgspec.Struct, forbid_unknown_fields=True):
    clients: list[RegisteredClient]


class GrantRefused(Exception):
    """The grant is refused; `error` is the OAuth code, the message Maskinporten's text."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.status = status


@dataclass(frozen=True)
class Accepted:
    """What a valid grant asks for, on whose behalf."""

    client: RegisteredClient
    scopes: list[str]
    amr: str


@dataclass
class Clients:
    """The registered clients and the grant ids already used."""

    by_id: dict[str, RegisteredClient]
    used: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, source: Mapping[str, Any]) -> Clients:
        """Validated clients; ValueError naming the bad entry."""
        try:
            parsed = msgspec.convert(dict(source), ClientsFile)
            for client in parsed.clients:
                KeySet.import_key_set(client.jwks)  # type: ignore[arg-type]
                for pem in client.certificates:
                    x509.load_pem_x509_certificate(pem.encode())
        except (msgspec.ValidationError, JoseError, ValueError, TypeError) as exc:
            raise ValueError(f"mock Maskinporten clients: {exc}") from exc
        return cls({client.client_id: client for client in parsed.clients})

    def check(self, assertion: str, issuer: str, now: float | None = None) -> Accepted:
        """The grant's client and scopes; GrantRefused with Maskinporten's code if not."""
        moment = time.time() if now is None else now
        header, claims = _unverified(assertion)
        client = self.by_id.get(str(claims.get("iss")))
        if client is None:
            raise GrantRefused("invalid_grant", "MP-100 Invalid assertion. Client not found")
        if claims.get("aud") not in (issuer, [issuer]):
            raise GrantRefused(
                "invalid_grant",
                "MP-110 Invalid assertion. Client authentication failed. Invalid JWT claim aud",
            )
        amr = _verify_signature(assertion, header, client)
        _check_times(claims, moment)
        self._check_once(claims, moment)
        return Accepted(client, _scopes(claims, client), amr)

    def _check_once(self, claims: Mapping[str, Any], now: float) -> None:
        """A grant id may be used once while the grant could still be valid (`jti` is
        only recommended by Maskinporten; a grant without one is not tracked)."""
        jti = claims.get("jti")
        if not isinstance(jti, str) or not jti:
            return
        for old, expiry in list(self.used.items()):
            if expiry < now:
                del self.used[old]
        if jti in self.used:
            raise GrantRefused("invalid_grant", "MP-012 Grant is used before")
        self.used[jti] = now + MAX_GRANT_LIFETIME + CLOCK_SKEW


def _unverified(assertion: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and claims, read only to find the client and its keys."""
    try:
        head, body, _ = assertion.split(".")
        header = msgspec.json.decode(_b64url(head))
        claims = msgspec.json.decode(_b64url(body))
    except (ValueError, msgspec.DecodeError) as exc:
        raise GrantRefused("invalid_request", "MP-011 Invalid assertion. Not a JWT") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise GrantRefused("invalid_request", "MP-011 Invalid assertion. Not a JWT")
    return header, claims


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _verify_signature(assertion: str, header: Mapping[str, Any], client: RegisteredClient) -> str:
    """Verify with the registered key named by `kid`, or the registered certificate in
    `x5c`; returns the `client_amr` of the token."""
    invalid = GrantRefused(
        "invalid_grant",
        "MP-120 Invalid assertion. Client authentication failed. "
        "The JWT is signed with an invalid certificate or key.",
    )
    x5c = header.get("x5c")
    if isinstance(x5c, list) and x5c and isinstance(x5c[0], str):
        try:
            leaf = x509.load_der_x509_certificate(base64.b64decode(x5c[0]))
        except ValueError as exc:
            raise invalid from exc
        registered = {
            x509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)
            for pem in client.certificates
        }
        if leaf.public_bytes(serialization.Encoding.DER) not in registered:
            raise invalid
        key: RSAKey | KeySet = RSAKey.import_key(leaf.public_key())  # type: ignore[arg-type]
        amr = "virksomhetssertifikat"
    elif isinstance(header.get("kid"), str):
        key = KeySet.import_key_set(client.jwks)  # type: ignore[arg-type]
        amr = "private_key_jwt"
    else:
        raise GrantRefused(
            "invalid_request", "MP-011 Invalid assertion. Either kid or x5c must be present"
        )
    try:
        jws.deserialize_compact(assertion, key, registry=_REGISTRY)
    except (JoseError, ValueError, KeyError) as exc:
        raise invalid from exc
    return amr


def _check_times(claims: Mapping[str, Any], now: float) -> None:
    iat, exp = claims.get("iat"), claims.get("exp")
    if not isinstance(iat, int) or not isinstance(exp, int):
        raise GrantRefused("invalid_grant", "MP-011 Invalid assertion. iat and exp are required")
    if abs(iat - now) > CLOCK_SKEW:
        raise GrantRefused(
            "invalid_grant", "Invalid assertion. iat is not within 10 s of our clock"
        )
    if exp - iat > MAX_GRANT_LIFETIME:
        raise GrantRefused("invalid_grant", "Invalid assertion. exp - iat exceeds 120 s")
    if exp <= now:
        raise GrantRefused("invalid_grant", "MP-130 JWT is expired")


def _scopes(claims: Mapping[str, Any], client: RegisteredClient) -> list[str]:
    scope = claims.get("scope")
    if not isinstance(scope, str) or not scope.split():
        raise GrantRefused("invalid_scope", "MP-200 Invalid scope - no scope requested")
    wanted = scope.split()
    missing = [s for s in wanted if s not in client.scopes]
    if missing:
        raise GrantRefused(
            "invalid_scope",
            f"MP-200 Invalid scope - Token request contains invalid scopes for client: "
            f"{' '.join(missing)}",
        )
    return wanted
