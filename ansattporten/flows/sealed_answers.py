"""Answers kept for a retry, sealed with the secret the retry presents again.

A step that took effect can lose its answer on the way back (an instance stopped
mid-response, a connection dropped, the database answered after the client gave up).
The browser or the client then sends the same request again, and must get the answer
of the first time, not an error: the code a finished login sent the browser back with,
the tokens a redemption or a refresh gave. So each such step keeps its answer with the
row it changed, for a short while.

Kept in the clear, that answer would put codes and tokens in the database, where a copy
of it could replay them. It is sealed instead (AES-256-GCM) under a key derived from the
secret the retry presents (HMAC-SHA256 of it): the browser's cookie for a login, the
code or the refresh token at /token. The database holds only the SHA-256 of those
secrets (`records.ids.hashed`), from which the key cannot be derived; only whoever
presents the secret again opens the answer, and nothing of it is ever logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


def seal(secret: str, purpose: str, answer: bytes) -> str:
    """`answer` encrypted under a key only `secret` gives; `purpose` keeps keys of one
    secret apart (and is authenticated with the answer)."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_key(secret, purpose)).encrypt(nonce, answer, purpose.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(secret: str, purpose: str, sealed: str | None) -> bytes | None:
    """The answer `seal` kept, or None when there is none or `secret` does not open it."""
    if not sealed:
        return None
    try:
        raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
        nonce, body = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
        return AESGCM(_key(secret, purpose)).decrypt(nonce, body, purpose.encode())
    except (ValueError, InvalidTag):
        return None


def _key(secret: str, purpose: str) -> bytes:
    return hmac.new(secret.encode(), f"ansattporten {purpose}".encode(), hashlib.sha256).digest()
