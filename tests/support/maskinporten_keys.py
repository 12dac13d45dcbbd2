"""Signing material for Maskinporten tests: RSA keys as PEM and JWK files, and a
self-signed stand-in for a business certificate in a PKCS#12 file, as a certificate
authority would deliver one. Also the clients entry the mock Maskinporten registers."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from joserfc.jwk import RSAKey

ORGNO = "991825827"
SCOPES = [
    "altinn:accessmanagement/authorizedparties.resourceowner",
    "altinn:authorization/authorize",
]


def rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def pem_of(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    return {**RSAKey.import_key(key).as_dict(private=False), "kid": kid}


def private_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    return {**RSAKey.import_key(key).as_dict(private=True), "kid": kid}


def certificate(
    key: rsa.RSAPrivateKey,
    *,
    days: int = 365,
    not_before: datetime.datetime | None = None,
) -> x509.Certificate:
    """A self-signed certificate naming the organisation as business certificates do."""
    start = not_before or datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NO"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "TESTDEPARTEMENTET"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, ORGNO),
            x509.NameAttribute(NameOID.COMMON_NAME, "TESTDEPARTEMENTET TEST"),
        ]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )


def pkcs12_of(key: rsa.RSAPrivateKey, cert: x509.Certificate, password: str | None) -> bytes:
    encryption = (
        serialization.BestAvailableEncryption(password.encode())
        if password
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(b"virksomhet", key, cert, None, encryption)


def cert_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


@dataclass
class ClientKeys:
    """Files for one Maskinporten client: a JWK key file and a PKCS#12 certificate."""

    directory: Path
    client_id: str = "ansattporten-test"
    kid: str = "ansattporten-test-key-1"
    password: str = "virksomhet-passord"

    def __post_init__(self) -> None:
        self.key = rsa_key()
        self.cert_key = rsa_key()
        self.cert = certificate(self.cert_key)
        self.jwk_file = self.directory / "maskinporten-key.json"
        self.jwk_file.write_text(json.dumps(private_jwk(self.key, self.kid)))
        self.pem_file = self.directory / "maskinporten-key.pem"
        self.pem_file.write_bytes(pem_of(self.key))
        self.p12_file = self.directory / "virksomhetssertifikat.p12"
        self.p12_file.write_bytes(pkcs12_of(self.cert_key, self.cert, self.password))

    def registration(self, scopes: list[str] | None = None) -> dict[str, Any]:
        """The client as the mock Maskinporten registers it: the key and the certificate."""
        return {
            "client_id": self.client_id,
            "orgno": ORGNO,
            "scopes": scopes if scopes is not None else SCOPES,
            "jwks": {"keys": [public_jwk(self.key, self.kid)]},
            "certificates": [cert_pem(self.cert)],
        }

    def clients(self, scopes: list[str] | None = None) -> dict[str, Any]:
        return {"clients": [self.registration(scopes)]}
