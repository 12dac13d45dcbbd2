"""Validating the upstream's id_token, as OpenID Connect Core 3.1.3.7 lists the steps.

1. a JWS (never `alg: none`, never an HMAC: the provider shares no secret key with the
   upstream for this) with an algorithm the upstream advertises, signed by the key its
   `kid` names among the upstream's published keys (`keys.UpstreamKeys`)
2. `iss` exactly the upstream's issuer (for multi-tenant Entra ID: the template with the
   token's own `tid`, which must also be the issuer the signing key is published for)
3. `aud` the provider's client id (alone, or with `azp` naming it)
4. `exp` not past, `iat` not in the future nor older than `MAX_AGE`, `nbf` reached
   (`LEEWAY` seconds of clock difference allowed), and `exp` after `iat` (a token the
   issuer made already expired is expired, whatever the clocks say)
5. `nonce` the one this login sent, compared in constant time
6. `sub` present

The acr check (a level the request allows) is the claims' business (`claims.py`).
"""

from __future__ import annotations

import hmac
import json
from typing import Any, Final

import msgspec
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from ansattporten.eid.upstream.errors import UpstreamRefused
from ansattporten.eid.upstream.keys import UpstreamKeys
from ansattporten.eid.upstream.metadata import TENANT_PLACEHOLDER, ProviderMetadata
from ansattporten.settings_eids import TENANT_ID, EidConfig

ASYMMETRIC: Final = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}
)
LEEWAY: Final = 60
MAX_AGE: Final = 600
"""An id_token fresh from the token endpoint was issued just now."""
MAX_TOKEN_LENGTH: Final = 64 * 1024


class IdTokenClaims(msgspec.Struct, frozen=True, kw_only=True):
    """The claims every check below reads, typed; the rest stay in the raw claim set."""

    iss: str
    sub: str
    aud: str | list[str]
    exp: int | float
    iat: int | float
    nonce: str | None = None
    azp: str | None = None
    nbf: int | float | None = None
    tid: str | None = None


class Expected(msgspec.Struct, frozen=True, kw_only=True):
    nonce: str
    now: float


def refuse(config: EidConfig, why: str) -> UpstreamRefused:
    return UpstreamRefused(f"eID {config.name!r}: id_token {why}")


async def verify_id_token(
    token: str,
    *,
    config: EidConfig,
    metadata: ProviderMetadata,
    keys: UpstreamKeys,
    expected: Expected,
) -> dict[str, Any]:
    """The checked claim set; UpstreamRefused naming the first check that fails."""
    if not token or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 2:
        raise refuse(config, "is not a compact JWS")
    try:
        header = jws.extract_compact(token.encode("ascii")).protected
    except (JoseError, ValueError, UnicodeEncodeError) as exc:
        raise refuse(config, "is not a compact JWS") from exc
    alg, kid = header.get("alg"), header.get("kid")
    allowed = ASYMMETRIC.intersection(metadata.id_token_signing_alg_values_supported)
    if alg not in allowed:
        raise refuse(config, f"is signed with {str(alg)[:10]!r}, which is not accepted")
    if not isinstance(kid, str):
        raise refuse(config, "names no key (kid)")
    jwk = await keys.key(metadata.jwks_uri, kid)
    try:
        key = (ECKey if jwk.get("kty") == "EC" else RSAKey).import_key(jwk)
        verified = jws.deserialize_compact(token, key, algorithms=[alg])
        raw = json.loads(verified.payload)
    except (JoseError, ValueError) as exc:
        raise refuse(config, "has a signature that does not verify") from exc
    if not isinstance(raw, dict):
        raise refuse(config, "holds no claim set")
    try:
        claims = msgspec.convert(raw, IdTokenClaims)
    except msgspec.ValidationError as exc:
        raise refuse(config, f"has a malformed claim: {exc}") from exc
    check_issuer(claims, jwk, config, metadata)
    check_audience(claims, config)
    check_times(claims, config, expected.now)
    if claims.nonce is None or not hmac.compare_digest(
        claims.nonce.encode(), expected.nonce.encode()
    ):
        raise refuse(config, "carries another nonce than this login sent")
    if not claims.sub:
        raise refuse(config, "has no sub")
    return raw


def expected_issuer(claims: IdTokenClaims, config: EidConfig, metadata: ProviderMetadata) -> str:
    if config.multi_tenant and TENANT_PLACEHOLDER in metadata.issuer:
        if claims.tid is None or not TENANT_ID.fullmatch(claims.tid):
            raise refuse(config, "has no tenant id (tid)")
        return metadata.issuer.replace(TENANT_PLACEHOLDER, claims.tid)
    return metadata.issuer


def check_issuer(
    claims: IdTokenClaims, jwk: dict[str, Any], config: EidConfig, metadata: ProviderMetadata
) -> None:
    issuer = expected_issuer(claims, config, metadata)
    if claims.iss != issuer:
        raise refuse(config, "comes from another issuer")
    key_issuer = jwk.get("issuer")  # Entra ID publishes the issuer each key signs for
    tenant = claims.tid or ""
    if isinstance(key_issuer, str) and key_issuer.replace(TENANT_PLACEHOLDER, tenant) != claims.iss:
        raise refuse(config, "is signed by a key published for another issuer")


def check_audience(claims: IdTokenClaims, config: EidConfig) -> None:
    audiences = [claims.aud] if isinstance(claims.aud, str) else claims.aud
    if config.client_id not in audiences:
        raise refuse(config, "is meant for another client")
    if len(audiences) > 1 and claims.azp != config.client_id:
        raise refuse(config, "has several audiences and no azp naming us")
    if claims.azp is not None and claims.azp != config.client_id:
        raise refuse(config, "names another authorized party (azp)")


def check_times(claims: IdTokenClaims, config: EidConfig, now: float) -> None:
    if claims.exp <= now - LEEWAY or claims.exp <= claims.iat:
        raise refuse(config, "has expired")  # by our clock, or by the issuer's own
    if claims.iat > now + LEEWAY or claims.iat < now - MAX_AGE:
        raise refuse(config, "was not issued just now (iat)")
    if claims.nbf is not None and claims.nbf > now + LEEWAY:
        raise refuse(config, "is not valid yet (nbf)")
