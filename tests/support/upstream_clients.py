"""What a broker sends to an upstream OpenID provider, built by hand for tests: PKCE
pairs and `private_key_jwt` client assertions (RFC 7523 2.2)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Mapping
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def client_assertion(
    client_id: str,
    private_jwk: Mapping[str, Any],
    audience: str,
    *,
    alg: str = "RS256",
    lifetime: int = 60,
    jti: str | None = None,
    **overrides: Any,
) -> str:
    now = int(time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": now,
        "exp": now + lifetime,
        "jti": jti or secrets.token_urlsafe(16),
        **overrides,
    }
    # the key signs with the `alg` asked for here, whatever the JWK says it was made for
    key = RSAKey.import_key({k: v for k, v in private_jwk.items() if k != "alg"})
    header = {"alg": alg, "kid": private_jwk.get("kid"), "typ": "JWT"}
    return jwt.encode(header, claims, key, algorithms=[alg])


def assertion_form(client_id: str, assertion: str) -> dict[str, str]:
    return {
        "client_id": client_id,
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": assertion,
    }
