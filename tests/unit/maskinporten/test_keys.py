"""Reading the signing material: every way it can be wrong names the setting."""

from __future__ import annotations

import base64
import datetime
import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12

from authz_sources.maskinporten.keys import KeyMaterialError, load_certificate, load_key_file
from tests.support.maskinporten_keys import (
    ClientKeys,
    certificate,
    pem_of,
    pkcs12_of,
    public_jwk,
    rsa_key,
)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> ClientKeys:
    return ClientKeys(tmp_path_factory.mktemp("keys"))


def test_jwk_file_brings_its_kid(keys: ClientKeys) -> None:
    loaded = load_key_file("maskinporten_key", str(keys.jwk_file), None)
    assert loaded.kid == keys.kid
    assert loaded.header() == {"alg": "RS256", "kid": keys.kid}


def test_pem_file_needs_the_kid_setting(keys: ClientKeys) -> None:
    with pytest.raises(KeyMaterialError, match=r"^maskinporten_key: no key id.*maskinporten_kid"):
        load_key_file("maskinporten_key", str(keys.pem_file), None)
    loaded = load_key_file("maskinporten_key", str(keys.pem_file), "my-kid")
    assert loaded.header() == {"alg": "RS256", "kid": "my-kid"}


def test_certificate_signs_with_x5c(keys: ClientKeys) -> None:
    loaded = load_certificate("maskinporten_certificate", str(keys.p12_file), keys.password)
    header = loaded.header()
    assert set(header) == {"alg", "x5c"}
    leaf = x509.load_der_x509_certificate(base64.b64decode(loaded.x5c[0]))
    assert leaf == keys.cert
    assert loaded.not_after == keys.cert.not_valid_after_utc


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a key at all", "neither an unencrypted PEM private key nor a JWK"),
        (b'{"kty": "RSA"}', "not an RSA JSON Web Key"),
        (b"{not json", "not an RSA JSON Web Key"),
    ],
)
def test_unusable_key_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "key"
    path.write_bytes(content)
    with pytest.raises(KeyMaterialError, match=message) as raised:
        load_key_file("maskinporten_key", str(path), "kid")
    assert str(raised.value).startswith("maskinporten_key: ")
    assert raised.value.setting == "maskinporten_key"


def test_public_jwk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "public.json"
    path.write_text(json.dumps(public_jwk(rsa_key(), "k")))
    with pytest.raises(KeyMaterialError, match="public key; the private key is needed"):
        load_key_file("maskinporten_key", str(path), None)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(KeyMaterialError, match=r"maskinporten_key: cannot read .*nowhere"):
        load_key_file("maskinporten_key", str(tmp_path / "nowhere"), "kid")


def test_short_and_non_rsa_keys_are_refused(tmp_path: Path) -> None:
    short = tmp_path / "short.pem"
    short.write_bytes(pem_of(rsa_key(1024)))
    with pytest.raises(KeyMaterialError, match="1024 bits; at least 2048"):
        load_key_file("maskinporten_key", str(short), "kid")
    curve = tmp_path / "ec.pem"
    curve.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(KeyMaterialError, match="must be an RSA private key"):
        load_key_file("maskinporten_key", str(curve), "kid")


def test_wrong_certificate_password(keys: ClientKeys) -> None:
    with pytest.raises(
        KeyMaterialError, match=r"^maskinporten_certificate: cannot open .*wrong password"
    ):
        load_certificate("maskinporten_certificate", str(keys.p12_file), "not the password")


def test_expired_certificate(tmp_path: Path) -> None:
    key = rsa_key()
    old = certificate(key, days=30, not_before=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    path = tmp_path / "old.p12"
    path.write_bytes(pkcs12_of(key, old, None))
    with pytest.raises(KeyMaterialError, match="valid from 2020-01-01 to 2020-01-31, not now"):
        load_certificate("maskinporten_certificate", str(path), None)


def test_pkcs12_without_its_certificate(tmp_path: Path) -> None:
    path = tmp_path / "bare.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"bare", rsa_key(), None, None, serialization.NoEncryption()
        )
    )
    with pytest.raises(KeyMaterialError, match="must hold the private key and its certificate"):
        load_certificate("maskinporten_certificate", str(path), None)
