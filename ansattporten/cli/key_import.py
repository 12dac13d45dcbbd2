"""`ansattporten keys import`: a signing key the operator brings, with its certificate.

ID-porten signs with a key it holds a certificate for, and its JWKS and token headers
carry that certificate as `x5c`. An operator who wants the same imports the key here:
a PEM private key (the certificate in the same file or in `--certificate`), or a
PKCS#12 bundle. The key becomes the next signing key exactly as `keys rotate` makes one
(published first, signing after `key_publish_ahead`, or at once with `--now`).

Refused, with a message that says why: a key that is not RSA (2048 bits or more, RS256)
or EC P-256 (ES256); a certificate whose public key is not the key's; a certificate
that has expired or is not valid yet; a file that is neither PEM nor PKCS#12; a wrong
or missing password. Nothing is written unless everything holds.
"""

from __future__ import annotations

import argparse
import datetime
import os
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key, pkcs12
from joserfc.jwk import ECKey, RSAKey

from ansattporten.spec.rfc7517 import same_key, x5c_of

MIN_RSA_BITS = 2048
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class KeyImportError(ValueError):
    """The files cannot give a signing key with its certificate; the message says why."""


@dataclass(frozen=True)
class ImportedKey:
    alg: str
    private_jwk: dict[str, Any]
    subject: str
    not_after: datetime.datetime


def read_key(
    key_file: Path,
    certificate_file: Path | None,
    password: bytes | None,
    now: float | None = None,
) -> ImportedKey:
    """The key and its chain from the operator's files, checked."""
    data = read(key_file)
    if b"-----BEGIN" in data:
        key, chain = pem_key(data, password), pem_certificates(data)
    else:
        key, chain = pkcs12_key(data, password)
    if certificate_file is not None:
        chain = pem_certificates(read(certificate_file))
    if not chain:
        raise KeyImportError("no certificate: give one in the file or with --certificate")
    alg = algorithm_of(key)
    check_certificate(key, chain, time.time() if now is None else now)
    return ImportedKey(
        alg=alg,
        private_jwk=private_jwk(key, alg, chain),
        subject=chain[0].subject.rfc4514_string(),
        not_after=chain[0].not_valid_after_utc,
    )


def read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise KeyImportError(f"cannot read {path}: {error.strerror}") from error


def pem_key(data: bytes, password: bytes | None) -> PrivateKey:
    try:
        key = load_pem_private_key(data, password)
    except TypeError as error:  # encrypted without a password, or a password for none
        raise KeyImportError(f"the key's password: {error}") from error
    except ValueError as error:
        raise KeyImportError("no private key could be read (or the password is wrong)") from error
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise KeyImportError("the key must be RSA or EC")
    return key


def pem_certificates(data: bytes) -> list[x509.Certificate]:
    if b"-----BEGIN CERTIFICATE-----" not in data:
        return []
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError as error:
        raise KeyImportError("a certificate in the file cannot be read") from error


def pkcs12_key(data: bytes, password: bytes | None) -> tuple[PrivateKey, list[x509.Certificate]]:
    try:
        key, leaf, others = pkcs12.load_key_and_certificates(data, password)
    except ValueError as error:
        raise KeyImportError(
            "the file is neither PEM nor PKCS#12 (or the password is wrong)"
        ) from error
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise KeyImportError("the PKCS#12 bundle holds no RSA or EC private key")
    return key, ([leaf] if leaf else []) + list(others)


def algorithm_of(key: PrivateKey) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < MIN_RSA_BITS:
            raise KeyImportError(f"an RSA key needs at least {MIN_RSA_BITS} bits")
        return "RS256"
    if not isinstance(key.curve, ec.SECP256R1):
        raise KeyImportError("an EC key must be on P-256 (ES256)")
    return "ES256"


def check_certificate(key: PrivateKey, chain: Sequence[x509.Certificate], now: float) -> None:
    leaf = chain[0]
    if not same_key(leaf.public_key(), key.public_key()):
        raise KeyImportError("the certificate does not belong to the key")
    moment = datetime.datetime.fromtimestamp(now, datetime.UTC)
    if leaf.not_valid_after_utc <= moment:
        raise KeyImportError(f"the certificate expired {leaf.not_valid_after_utc:%Y-%m-%d}")
    if leaf.not_valid_before_utc > moment:
        raise KeyImportError(
            f"the certificate is valid only from {leaf.not_valid_before_utc:%Y-%m-%d}"
        )


def private_jwk(key: PrivateKey, alg: str, chain: Sequence[x509.Certificate]) -> dict[str, Any]:
    parameters = {"kid": secrets.token_urlsafe(16), "alg": alg, "use": "sig"}
    imported = (
        RSAKey.import_key(key, parameters)  # type: ignore[arg-type]
        if alg == "RS256"
        else ECKey.import_key(key, parameters)  # type: ignore[arg-type]
    )
    return {**imported.as_dict(private=True), "x5c": x5c_of(chain)}


def password_from(args: argparse.Namespace) -> bytes | None:
    """The password is read from the environment variable the operator names, never
    from the command line (where `ps` and shell history would show it)."""
    name = getattr(args, "password_env", None)
    if not name:
        return None
    value = os.environ.get(name)
    if value is None:
        raise KeyImportError(f"the environment variable {name} is not set")
    return value.encode()
