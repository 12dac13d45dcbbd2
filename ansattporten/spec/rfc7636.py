"""RFC 7636 (PKCE): code_verifier and S256 code_challenge.

Ansattporten follows OAuth 2.1, so PKCE with `S256` is mandatory for every client; the
`plain` method is deliberately not offered.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

__all__ = ["is_valid_challenge", "is_valid_verifier", "s256", "verify_s256"]

_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
"""§4.1: code-verifier = 43*128unreserved."""

_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")
"""§4.2: BASE64URL(SHA256(verifier)) without padding is always exactly 43 characters."""


def is_valid_verifier(v: str) -> bool:
    """Whether `v` is 43–128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)."""
    return _VERIFIER.fullmatch(v) is not None


def is_valid_challenge(c: str) -> bool:
    """Whether `c` can be an S256 challenge: exactly 43 base64url characters, no padding.

    Checking the shape at /authorize lets a client learn about a broken challenge there,
    instead of at /token where the person's login would already be spent.
    """
    return _CHALLENGE.fullmatch(c) is not None


def s256(verifier: str) -> str:
    """BASE64URL-ENCODE(SHA256(ASCII(verifier))) without padding (RFC 7636 §4.2).

    Raises `UnicodeEncodeError` for a non-ASCII verifier; check it with
    `is_valid_verifier` first (as `verify_s256` does).
    """
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify_s256(verifier: str, challenge: str) -> bool:
    """Whether `verifier` matches the S256 `challenge` stored at /authorize (§4.6).

    An invalid verifier never matches. The comparison is constant-time so that timing
    reveals nothing about the stored challenge.
    """
    if not is_valid_verifier(verifier):
        return False
    return hmac.compare_digest(s256(verifier).encode("ascii"), challenge.encode("utf-8"))
