"""Signing keys of a mock upstream: RSA keys with a self-signed certificate, a JWKS,
and rotation a test can trigger.

Real upstreams publish their signing certificate in the JWKS (`x5c`, and `x5t` at
Entra) and change keys now and then; a broker must find a new `kid` by fetching the JWKS
again, and must stop trusting a key that is gone. `rotate` makes a new key sign at once
(keeping or dropping the old ones from the JWKS), `publish_next` publishes a key ahead of
use as careful providers do, and `sign_unpublished` signs with a key nobody can fetch.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from joserfc import jwt
from joserfc.jwk import RSAKey

KidStyle = Literal["thumbprint", "x5t"]
"""ID-porten names keys by an opaque base64url string (we use the RFC 7638 thumbprint);
Entra names them by the certificate's SHA-1 thumbprint, the same value as `x5t`."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True, slots=True)
class MockKey:
    """One RSA key pair and its self-signed certificate."""

    kid: str
    key: RSAKey
    certificate_der: bytes

    def public_jwk(self) -> dict[str, Any]:
        public = dict(self.key.as_dict(private=False))
        public.pop("kid", None)
        return {
            "kty": "RSA",
            "kid": self.kid,
            "use": "sig",
            "n": public["n"],
            "e": public["e"],
            "x5c": [base64.b64encode(self.certificate_der).decode("ascii")],
        }

    @property
    def x5t(self) -> str:
        return _b64url(hashlib.sha1(self.certificate_der, usedforsecurity=False).digest())


def new_key(common_name: str, kid_style: KidStyle = "thumbprint") -> MockKey:
    """A fresh RSA-2048 key with a self-signed certificate valid for a year."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(private, hashes.SHA256())
    )
    der = certificate.public_bytes(serialization.Encoding.DER)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key = RSAKey.import_key(pem)
    if kid_style == "x5t":
        kid = _b64url(hashlib.sha1(der, usedforsecurity=False).digest())
    else:
        kid = key.thumbprint()
    return MockKey(kid=kid, key=key, certificate_der=der)


class KeyRing:
    """The keys one mock publishes, and the one that signs.

    Safe to call from a test thread while the server runs in another: every change
    replaces the lists under a lock, and readers take a snapshot.
    """

    def __init__(self, common_name: str, kid_style: KidStyle = "thumbprint") -> None:
        self._common_name = common_name
        self._kid_style = kid_style
        self._lock = threading.Lock()
        first = new_key(common_name, kid_style)
        self._active = first
        self._published: tuple[MockKey, ...] = (first,)

    @property
    def active_kid(self) -> str:
        return self._active.kid

    @property
    def published_kids(self) -> list[str]:
        return [key.kid for key in self._published]

    def rotate(self, *, keep_previous: bool = True) -> str:
        """Sign with a new key from now on; returns its kid.

        `keep_previous=False` also removes every older key from the JWKS, so tokens
        signed before no longer verify (an emergency rotation).
        """
        fresh = new_key(self._common_name, self._kid_style)
        with self._lock:
            self._active = fresh
            self._published = (fresh, *self._published) if keep_previous else (fresh,)
        return fresh.kid

    def publish_next(self) -> str:
        """Publish a new key without signing with it yet; `activate(kid)` switches."""
        fresh = new_key(self._common_name, self._kid_style)
        with self._lock:
            self._published = (*self._published, fresh)
        return fresh.kid

    def activate(self, kid: str) -> None:
        with self._lock:
            for key in self._published:
                if key.kid == kid:
                    self._active = key
                    return
        raise KeyError(f"no published key {kid!r}")

    def retire(self, kid: str) -> None:
        """Stop publishing `kid` (never the active key)."""
        with self._lock:
            if kid == self._active.kid:
                raise ValueError("the active key cannot be retired")
            self._published = tuple(key for key in self._published if key.kid != kid)

    def jwks(self, **extra_members: str) -> dict[str, Any]:
        """The public JWKS; `extra_members` go into every key (Entra adds `issuer`)."""
        keys = []
        for key in self._published:
            jwk = key.public_jwk()
            if self._kid_style == "x5t":
                jwk["x5t"] = key.x5t
            else:
                jwk["alg"] = "RS256"
            keys.append({**jwk, **extra_members})
        return {"keys": keys}

    def sign(self, claims: Mapping[str, Any], *, typ: str | None = None) -> str:
        """An RS256 JWS over `claims`, with the active key's kid in the header."""
        return _sign(self._active, claims, typ)

    def sign_unpublished(self, claims: Mapping[str, Any], *, typ: str | None = None) -> str:
        """Signed with a throw-away key that the JWKS never contains, under a kid that
        looks like ours: what an attacker holding their own key would send."""
        stranger = new_key(self._common_name, self._kid_style)
        return _sign(stranger, claims, typ)


def _sign(key: MockKey, claims: Mapping[str, Any], typ: str | None) -> str:
    header: dict[str, Any] = {"alg": "RS256", "kid": key.kid}
    if typ:
        header["typ"] = typ
    return jwt.encode(header, dict(claims), key.key, algorithms=["RS256"])
