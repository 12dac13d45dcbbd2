"""`ansattporten keys import`: the operator's signing key with its certificate (PEM or
PKCS#12) becomes the next signing key; the JWKS and every token header carry the
certificate as `x5c`, as ID-porten's do. A key and certificate that do not belong
together, an expired certificate, a weak key or a wrong password are refused and
nothing is written."""

from __future__ import annotations

import base64
import datetime
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jws

from tests.support.cli import run_cli, write_settings
from tests.support.login_driver import LoginDriver
from tests.support.maskinporten_keys import certificate, pem_of, pkcs12_of, rsa_key
from tests.support.provider import run_provider
from tests.support.tokens import LargeHeaders, verified_claims

PID = "45840375084"


def der_base64(cert: x509.Certificate) -> str:
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def imported(settings: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        done = run_cli("keys", "import", *args, "--config", str(settings))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return done.returncode, done.stdout + done.stderr


def test_a_pem_key_with_its_certificate_signs_with_x5c(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'keys.db'}"
    settings = write_settings(tmp_path, database)
    key = rsa_key()
    cert = certificate(key)
    (tmp_path / "key.pem").write_bytes(pem_of(key) + cert_pem(cert))

    code, output = imported(settings, str(tmp_path / "key.pem"), "--now")

    assert code == 0, output
    assert "RS256" in output
    with run_provider(database, {"rate_limit": False}) as provider:
        jwks = httpx.get(f"{provider.base_url}/jwks.json").json()["keys"]
        with_chain = [jwk for jwk in jwks if "x5c" in jwk]
        assert len(with_chain) == 1
        assert with_chain[0]["x5c"] == [der_base64(cert)]
        assert "d" not in with_chain[0]

        driver = LoginDriver(provider.base_url)
        try:
            tokens = driver.redeem(driver.login_for_code(PID)).json()
            for name in ("id_token", "access_token"):
                header = jws.extract_compact(
                    tokens[name].encode(), registry=LargeHeaders()
                ).headers()
                assert header["x5c"] == [der_base64(cert)], name
                assert header["kid"] == with_chain[0]["kid"]
                assert verified_claims(provider.base_url, tokens[name])["iss"]
            userinfo = driver.service.get(
                "/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
            )
            assert userinfo.status_code == 200, userinfo.text
        finally:
            driver.close()


def test_a_pkcs12_bundle_with_a_password_from_the_environment(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'keys.db'}"
    settings = write_settings(tmp_path, database)
    key = rsa_key(3072)
    cert = certificate(key)
    (tmp_path / "bundle.p12").write_bytes(pkcs12_of(key, cert, "bundle-password"))

    code, output = imported(
        settings,
        str(tmp_path / "bundle.p12"),
        "--password-env",
        "KEY_PASSWORD",
        env={"KEY_PASSWORD": "bundle-password"},
    )

    assert code == 0, output
    assert "bundle-password" not in output
    listed = run_cli("keys", "list", "--config", str(settings)).stdout
    assert "next" in listed  # published first; it signs after key_publish_ahead


def test_an_ec_key_with_its_certificate_in_another_file(tmp_path: Path) -> None:
    settings = write_settings(tmp_path, f"sqlite:///{tmp_path / 'keys.db'}")
    key = ec.generate_private_key(ec.SECP256R1())
    (tmp_path / "ec.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (tmp_path / "ec.crt").write_bytes(cert_pem(certificate(key)))  # type: ignore[arg-type]

    code, output = imported(
        settings, str(tmp_path / "ec.pem"), "--certificate", str(tmp_path / "ec.crt")
    )

    assert code == 0, output
    assert "ES256" in output


def write_refused_case(tmp_path: Path, case: str) -> tuple[list[str], dict[str, str]]:
    key = rsa_key()
    key_file = tmp_path / "key.pem"
    if case == "another_key":
        key_file.write_bytes(pem_of(key) + cert_pem(certificate(rsa_key())))
    elif case == "expired":
        past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=400)
        key_file.write_bytes(pem_of(key) + cert_pem(certificate(key, not_before=past)))
    elif case == "weak":
        weak = rsa_key(1024)
        key_file.write_bytes(pem_of(weak) + cert_pem(certificate(weak)))
    elif case == "no_certificate":
        key_file.write_bytes(pem_of(key))
    elif case == "p384":
        other = ec.generate_private_key(ec.SECP384R1())
        pem = other.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        key_file.write_bytes(pem + cert_pem(certificate(other)))  # type: ignore[arg-type]
    elif case in ("wrong_password", "unset_password"):
        key_file = tmp_path / "bundle.p12"
        key_file.write_bytes(pkcs12_of(key, certificate(key), "right"))
        env = {"KEY_PASSWORD": "wrong"} if case == "wrong_password" else {}
        return [str(key_file), "--password-env", "KEY_PASSWORD"], env
    elif case == "garbage":
        key_file.write_bytes(b"\x00 not a key")
    elif case == "missing":
        key_file = tmp_path / "nowhere.pem"
    return [str(key_file)], {}


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("another_key", "does not belong"),
        ("expired", "expired"),
        ("weak", "2048"),
        ("no_certificate", "no certificate"),
        ("p384", "P-256"),
        ("wrong_password", "password"),
        ("unset_password", "KEY_PASSWORD"),
        ("garbage", "neither PEM nor PKCS#12"),
        ("missing", "cannot read"),
    ],
)
def test_what_cannot_sign_is_refused_and_nothing_is_written(
    tmp_path: Path, case: str, message: str
) -> None:
    database = tmp_path / "keys.db"
    settings = write_settings(tmp_path, f"sqlite:///{database}")
    args, env = write_refused_case(tmp_path, case)

    code, output = imported(settings, *args, env=env)

    assert code == 2, output
    assert message in output
    assert "Traceback" not in output
    if database.exists():
        with closing(sqlite3.connect(database)) as db:
            assert db.execute("SELECT count(*) FROM signing_keys").fetchone()[0] == 0
