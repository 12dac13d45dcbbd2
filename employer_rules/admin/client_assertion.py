"""`private_key_jwt` toward the provider: a fresh signed assertion for each request
(RFC 7523: `iss` = `sub` = client_id, `aud` = the issuer, as Ansattporten asks, a short
`exp`, a unique `jti`)."""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from pathlib import Path

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, JWKRegistry, RSAKey

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
LIFETIME_SECONDS = 60


class KeyFileError(ValueError):
    """The key file cannot be used; the message names it."""


def load_private_key(path: Path, kid: str | None) -> RSAKey | ECKey:
    """A private RSA or EC key from a JWK (JSON) or PEM file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(
            f"cannot read `provider.private_key_file` {path}: {exc.strerror}"
        ) from exc
    key: RSAKey | ECKey | None = None
    if raw.lstrip().startswith(b"{"):
        with contextlib.suppress(ValueError, TypeError, JoseError):
            found = JWKRegistry.import_key(json.loads(raw))
            key = found if isinstance(found, RSAKey | ECKey) else None
    else:
        for kind in (RSAKey, ECKey):
            with contextlib.suppress(ValueError, TypeError, JoseError):
                key = kind.import_key(raw, {"kid": kid} if kid else None)
                break
    if key is None:
        raise KeyFileError(f"`provider.private_key_file` {path} is not an RSA or EC key")
    if not key.is_private:
        raise KeyFileError(f"`provider.private_key_file` {path} must hold a private RSA or EC key")
    return key


def algorithm_of(key: RSAKey | ECKey) -> str:
    return "RS256" if isinstance(key, RSAKey) else "ES256"


def client_assertion(key: RSAKey | ECKey, client_id: str, issuer: str) -> dict[str, str]:
    """The form fields that authenticate one request."""
    now = int(time.time())
    header = {"alg": algorithm_of(key), "typ": "JWT"}
    if key.kid:
        header["kid"] = key.kid
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": issuer,
        "iat": now,
        "exp": now + LIFETIME_SECONDS,
        "jti": secrets.token_urlsafe(24),
    }
    return {
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": jwt.encode(header, claims, key),
    }
