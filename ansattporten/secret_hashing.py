"""Client secrets are stored as scrypt hashes, never in clear.

scrypt is deliberately slow (tens of milliseconds), which would cap the token endpoint
far below its target. A verified (secret, hash) pair is therefore remembered by a
SHA-256 fingerprint for a few minutes: the database still holds only the slow hash,
and the cache holds only a hash of the pair, keyed so a changed secret never matches.

Wrong secrets are the expensive case: each is a full scrypt run, and anyone can send
them. On the event loop, eight connections sending wrong secrets stopped every other
request of the worker (a login plus token went from 0.06 to 6 s). So requests verify
with `verify_secret_off_loop`: the scrypt runs on one thread per process (hashlib
releases the GIL, so the loop serves on and an attacker gets at most one core), at most
`MAX_WAITING` verifications wait for it (more are refused at once, `VerifierBusy`), and
a refused (secret, hash) pair is remembered for a minute, so repeating one wrong secret
costs nothing.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
import time
from concurrent.futures import ThreadPoolExecutor

_N, _R, _P = 2**14, 8, 1
_CACHE_SECONDS = 300.0
_REFUSED_SECONDS = 60.0
_CACHE_MAX = 4096
_verified: dict[bytes, float] = {}
_refused: dict[bytes, float] = {}

MAX_WAITING = 32
"""Verifications queued or running at once per process; about a second of scrypt."""
_scrypt = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scrypt")
_waiting = 0


class VerifierBusy(Exception):
    """`MAX_WAITING` verifications are already waiting: try again shortly."""


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    encoded_salt = base64.b64encode(salt).decode()
    encoded_digest = base64.b64encode(digest).decode()
    return f"scrypt${_N}${_R}${_P}${encoded_salt}${encoded_digest}"


def verify_secret(secret: str, stored: str) -> bool:
    """Constant-time check of `secret` against a `hash_secret` value, on this thread
    (start-up and the command line; requests use `verify_secret_off_loop`)."""
    fingerprint = _fingerprint(secret, stored)
    if _recently_verified(fingerprint):
        return True
    return _remember(fingerprint, _scrypt_matches(secret, stored))


async def verify_secret_off_loop(secret: str, stored: str) -> bool:
    """`verify_secret` with the scrypt run on the verifier thread; raises `VerifierBusy`
    when `MAX_WAITING` verifications are already waiting for it."""
    global _waiting
    fingerprint = _fingerprint(secret, stored)
    if _recently_verified(fingerprint):
        return True
    refused = _refused.get(fingerprint)
    if refused is not None and time.monotonic() - refused < _REFUSED_SECONDS:
        return False
    if _waiting >= MAX_WAITING:
        raise VerifierBusy
    _waiting += 1
    try:
        loop = asyncio.get_running_loop()
        matches = await loop.run_in_executor(_scrypt, _scrypt_matches, secret, stored)
    finally:
        _waiting -= 1
    return _remember(fingerprint, matches)


def _fingerprint(secret: str, stored: str) -> bytes:
    return hashlib.sha256(f"{stored}\0{secret}".encode()).digest()


def _recently_verified(fingerprint: bytes) -> bool:
    seen = _verified.get(fingerprint)
    return seen is not None and time.monotonic() - seen < _CACHE_SECONDS


def _remember(fingerprint: bytes, matches: bool) -> bool:
    remembered = _verified if matches else _refused
    if len(remembered) >= _CACHE_MAX:
        remembered.clear()
    remembered[fingerprint] = time.monotonic()
    return matches


def _scrypt_matches(secret: str, stored: str) -> bool:
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
    return hmac.compare_digest(actual, expected)
