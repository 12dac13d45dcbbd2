"""Client secrets are stored as scrypt hashes, never in clear.

scrypt is deliberately slow (tens of milliseconds), which would cap the token endpoint
far below its target. A verified (secret, hash) pair is therefore remembered by a
SHA-256 fingerprint for a few minutes: the database still holds only the slow hash,
and the cache holds only a hash of the pair, keyed so a changed secret never matches.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

_N, _R, _P = 2**14, 8, 1
_CACHE_SECONDS = 300.0
_CACHE_MAX = 4096
_verified: dict[bytes, float] = {}


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    encoded_salt = base64.b64encode(salt).decode()
    encoded_digest = base64.b64encode(digest).decode()
    return f"scrypt${_N}${_R}${_P}${encoded_salt}${encoded_digest}"


def verify_secret(secret: str, stored: str) -> bool:
    """Constant-time check of `secret` against a `hash_secret` value."""
    fingerprint = hashlib.sha256(f"{stored}\0{secret}".encode()).digest()
    now = time.monotonic()
    seen = _verified.get(fingerprint)
    if seen is not None and now - seen < _CACHE_SECONDS:
        return True
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest_b64)
        actual = hashlib.scrypt(
            secret.encode(),
            salt=base64.b64decode(salt_b64),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    if not hmac.compare_digest(actual, expected):
        return False
    if len(_verified) >= _CACHE_MAX:
        _verified.clear()
    _verified[fingerprint] = now
    return True
