"""The floor login's token answer: an access token (RFC 9068 `at+jwt`) and an ID token,
each an RS256 JWT signed with `cryptography` directly under a 2048-bit key made at
start. Nothing is stored: no refresh token, no token row, no key rotation."""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

import msgspec
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from bench import config
from bench.floor_login_parts import b64url

LIFETIME = 120
"""Seconds, as both providers' access and ID tokens."""
API_AUDIENCE = "urn:ansattporten:api"
PAIRWISE_SALT = secrets.token_bytes(16)


class Signer:
    """One RSA key and the two JWT headers naming it."""

    def __init__(self, key_size: int = 2048) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
        self.kid = secrets.token_urlsafe(8)
        self._headers = {
            typ: b64url(msgspec.json.encode({"alg": "RS256", "typ": typ, "kid": self.kid}))
            for typ in ("at+jwt", "JWT")
        }

    def jwt(self, typ: str, claims: dict[str, Any]) -> str:
        signing_input = f"{self._headers[typ]}.{b64url(msgspec.json.encode(claims))}"
        signature = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{b64url(signature)}"


def pairwise_sub(pid: str) -> str:
    """Ansattporten's `sub` is pairwise: the same person is a different subject to each
    client."""
    digest = hashlib.sha256(config.CLIENT_ID.encode() + pid.encode() + PAIRWISE_SALT).digest()
    return b64url(digest)


def token_answer(
    signer: Signer,
    issuer: str,
    pid: str,
    nonce: str,
    authorization_details: list[dict[str, Any]],
) -> bytes:
    """The JSON body of a successful code exchange."""
    now = int(time.time())
    sub = pairwise_sub(pid)
    common = {"iss": issuer, "sub": sub, "iat": now, "exp": now + LIFETIME}
    access = signer.jwt(
        "at+jwt",
        {
            **common,
            "aud": API_AUDIENCE,
            "client_id": config.CLIENT_ID,
            "jti": secrets.token_urlsafe(16),
            "scope": "openid",
            "acr": "substantial",
            "pid": pid,
            "authorization_details": authorization_details,
        },
    )
    id_token = signer.jwt(
        "JWT",
        {
            **common,
            "aud": config.CLIENT_ID,
            "auth_time": now,
            "nonce": nonce,
            "acr": "substantial",
            "pid": pid,
            "authorization_details": authorization_details,
        },
    )
    return msgspec.json.encode(
        {
            "access_token": access,
            "id_token": id_token,
            "token_type": "Bearer",
            "expires_in": LIFETIME,
            "scope": "openid",
            "authorization_details": authorization_details,
        }
    )
