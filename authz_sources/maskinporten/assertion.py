"""The JWT grant (RFC 7523 2.1) a client sends to Maskinporten's token endpoint.

Maskinporten's rules: `aud` is Maskinporten's issuer (with its trailing slash), `iss` is
the client_id, `scope` the space-separated scopes, `iat` within 10 s of its clock, `exp`
at most 120 s after `iat`, and a `jti` it has not seen before. RS256, with `kid` for a
registered key or `x5c` for a business certificate.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from joserfc import jwt

from authz_sources.maskinporten.keys import SigningKey

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
GRANT_LIFETIME_SECONDS = 60
"""Well inside Maskinporten's 120 s; the grant is used at once."""
MAX_GRANT_LIFETIME_SECONDS = 120


def build_grant(
    key: SigningKey,
    *,
    client_id: str,
    audience: str,
    scope: str,
    lifetime: int = GRANT_LIFETIME_SECONDS,
    now: Callable[[], float] = time.time,
) -> str:
    """A signed, single-use grant; a fresh `jti` every call."""
    if not 0 < lifetime <= MAX_GRANT_LIFETIME_SECONDS:
        raise ValueError(f"a grant may live 1..{MAX_GRANT_LIFETIME_SECONDS} s, not {lifetime}")
    issued = int(now())
    claims = {
        "aud": audience,
        "iss": client_id,
        "scope": scope,
        "iat": issued,
        "exp": issued + lifetime,
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(key.header(), claims, key.key)
