"""Random identifiers and the hashes stored in their place, in one place.

What a browser or a client holds (a login's cookie, a code, a refresh token) is stored
only as its SHA-256, so a copy of the database cannot be replayed; the row is found by
hashing what is presented. Identifiers that are not secrets (a login's id, a grant's id)
are random too, so they cannot be guessed or enumerated.
"""

from __future__ import annotations

import hashlib
import re
import secrets

LOGIN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""What `new_id` makes; anything else (a NUL, a megabyte) is unknown without a lookup."""


def new_id() -> str:
    """32 random bytes, base64url: login ids, CSRF tokens, codes, refresh tokens."""
    return secrets.token_urlsafe(32)


def new_grant_id() -> str:
    """A grant's id: the first part of every access token's `jti`, so shorter."""
    return secrets.token_urlsafe(16)


def new_jti(grant_id: str) -> str:
    """A token's `jti`: `<grant id>.<random>`, so a token names the grant it came from."""
    return f"{grant_id}.{secrets.token_urlsafe(12)}"


def grant_id_of_jti(jti: object) -> str:
    return str(jti or "").split(".", 1)[0]


def hashed(value: str) -> str:
    """What is stored instead of a secret the browser or the client holds."""
    return hashlib.sha256(value.encode()).hexdigest()


def is_login_id(value: str) -> bool:
    return LOGIN_ID.fullmatch(value) is not None
