"""JWT client assertions (RFC 7523 2.2, as used by `private_key_jwt`).

The assertion is signed by the client with a key it registered; `iss` and `sub` are the
client_id, `aud` is the issuer (a single value: Ansattporten no longer accepts the token
endpoint URL), `exp` is near, and `jti` is unique (the caller remembers it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ansattporten.errors import InvalidClient
from ansattporten.spec.jose import LargeHeaders, verified_by_key_set

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ALGORITHMS = ("RS256", "ES256")
MAX_LIFETIME_SECONDS = 300
_REGISTRY = LargeHeaders(algorithms=list(ALGORITHMS))


def decode_client_assertion(assertion: str, jwks: Mapping[str, Any]) -> dict[str, Any]:
    """Verify the signature with the client's registered keys; return the claims."""
    if not assertion or len(assertion) > 8192:
        raise InvalidClient("client_assertion is missing or too large")
    try:
        return verified_by_key_set(assertion, jwks, _REGISTRY)
    except ValueError as exc:
        raise InvalidClient(
            "client_assertion must be a JSON object signed with a registered key"
        ) from exc


def check_assertion_claims(
    claims: Mapping[str, Any], *, client_id: str, issuer: str, now: int
) -> tuple[str, int]:
    """Check iss/sub/aud/exp/jti; returns (jti, exp) for replay protection."""
    if claims.get("iss") != client_id or claims.get("sub") != client_id:
        raise InvalidClient("client_assertion iss and sub must be the client_id")
    audience = claims.get("aud")
    if not (audience == issuer or audience == [issuer]):
        raise InvalidClient("client_assertion aud must be the issuer")
    exp = claims.get("exp")
    if not isinstance(exp, int) or isinstance(exp, bool):
        raise InvalidClient("client_assertion exp is required")
    if exp <= now:
        raise InvalidClient("client_assertion has expired")
    if exp - now > MAX_LIFETIME_SECONDS:
        raise InvalidClient(f"client_assertion may live at most {MAX_LIFETIME_SECONDS} s")
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti or len(jti) > 200:
        raise InvalidClient("client_assertion jti is required")
    return jti, exp
