"""The organisation's signing material for Maskinporten: a key or a business certificate.

Maskinporten accepts a JWT grant signed either with a key registered on the client (the
grant names it with `kid`) or with a business certificate (virksomhetssertifikat), whose
chain the grant carries in `x5c`. Operators keep the first as a PEM or JWK file and the
second as the PKCS#12 file the certificate authority delivers. Everything is read once,
at start-up, so a wrong file or password stops the provider with a message naming the
setting instead of failing every login later.
"""

from __future__ import annotations

import base64
import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

MIN_RSA_BITS = 2048
"""Maskinporten signs and verifies RS256; shorter RSA keys are refused by policy."""


class KeyMaterialError(ValueError):
    """The key or certificate cannot be used; `setting` names the settings key to fix."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(f"{setting}: {message}")
        self.setting = setting


@dataclass(frozen=True)
class SigningKey:
    """What signs a JWT grant: the private key and how the grant's header names it."""

    key: RSAKey
    kid: str | None = None
    """Set when the key is registered on the client (header `kid`)."""
    x5c: tuple[str, ...] = ()
    """Set when signing with a business certificate: the chain, leaf first, base64 DER."""
    not_after: datetime.datetime | None = None
    """When the certificate stops being valid (None for a bare key)."""

    def header(self) -> dict[str, object]:
        """The JOSE header of a grant signed with this key."""
        header: dict[str, object] = {"alg": "RS256"}
        if self.x5c:
            header["x5c"] = list(self.x5c)
        elif self.kid:
            header["kid"] = self.kid
        return header


def _read(setting: str, path: str) -> bytes:
    """The file's bytes, or a KeyMaterialError that says which file and why."""
    try:
        return Path(path).expanduser().read_bytes()
    except OSError as exc:
        raise KeyMaterialError(setting, f"cannot read {path}: {exc.strerror or exc}") from exc


def _checked_rsa(setting: str, private: object) -> rsa.RSAPrivateKey:
    """An RSA private key of at least MIN_RSA_BITS, or KeyMaterialError."""
    if not isinstance(private, rsa.RSAPrivateKey):
        raise KeyMaterialError(setting, "the key must be an RSA private key (RS256)")
    if private.key_size < MIN_RSA_BITS:
        raise KeyMaterialError(
            setting, f"the RSA key has {private.key_size} bits; at least {MIN_RSA_BITS} needed"
        )
    return private


def load_key_file(setting: str, path: str, kid: str | None) -> SigningKey:
    """A private RSA key from a PEM file (PKCS#1 or PKCS#8) or a JSON Web Key file.

    A JWK's own `kid` is used unless `kid` is given; a PEM key needs `kid`, because
    Maskinporten finds the registered key by it.
    """
    data = _read(setting, path)
    text = data.lstrip()
    if text.startswith(b"{"):
        try:
            jwk = json.loads(text)
            imported = RSAKey.import_key(jwk)
        except (ValueError, JoseError, TypeError) as exc:
            raise KeyMaterialError(setting, f"{path} is not an RSA JSON Web Key") from exc
        if not imported.is_private:
            raise KeyMaterialError(setting, f"{path} holds a public key; the private key is needed")
        kid = kid or (jwk.get("kid") if isinstance(jwk.get("kid"), str) else None)
        private: object = imported.private_key
    else:
        try:
            private = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError) as exc:
            raise KeyMaterialError(
                setting, f"{path} is neither an unencrypted PEM private key nor a JWK"
            ) from exc
    key = _checked_rsa(setting, private)
    if not kid:
        raise KeyMaterialError(
            setting, "no key id: set maskinporten_kid to the kid registered on the client"
        )
    return SigningKey(key=RSAKey.import_key(key), kid=kid)


def load_certificate(
    setting: str, path: str, password: str | None, *, now: datetime.datetime | None = None
) -> SigningKey:
    """A business certificate and its key from a PKCS#12 file (.p12/.pfx)."""
    data = _read(setting, path)
    try:
        private, leaf, extra = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except (ValueError, TypeError) as exc:
        raise KeyMaterialError(
            setting, f"cannot open {path} (not PKCS#12, or wrong password)"
        ) from exc
    if private is None or leaf is None:
        raise KeyMaterialError(setting, f"{path} must hold the private key and its certificate")
    key = _checked_rsa(setting, private)
    public = leaf.public_key()
    if not isinstance(public, rsa.RSAPublicKey) or (
        public.public_numbers() != key.public_key().public_numbers()
    ):
        raise KeyMaterialError(setting, f"{path}: the certificate is not for the private key")
    moment = now or datetime.datetime.now(datetime.UTC)
    if not leaf.not_valid_before_utc <= moment <= leaf.not_valid_after_utc:
        raise KeyMaterialError(
            setting,
            f"the certificate is valid from {leaf.not_valid_before_utc:%Y-%m-%d} "
            f"to {leaf.not_valid_after_utc:%Y-%m-%d}, not now",
        )
    chain = [leaf, *extra]
    return SigningKey(
        key=RSAKey.import_key(key),
        x5c=tuple(_der_base64(cert) for cert in chain),
        not_after=leaf.not_valid_after_utc,
    )


def _der_base64(cert: x509.Certificate) -> str:
    """RFC 7517 4.7: standard base64 (not base64url) of the DER encoding."""
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
