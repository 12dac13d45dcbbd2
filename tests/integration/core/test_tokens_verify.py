"""The tokens verify with an independent JOSE implementation (Authlib's `authlib.jose`,
not joserfc, which the provider signs with) against the published JWKS; a tampered
token does not; the JWKS publishes no private key material; `acr` follows the level
the person logged in with."""

from __future__ import annotations

import base64
import json
import warnings
from typing import Any

import httpx
import pytest

from ansattporten.eid.testid_names import synthetic_name
from tests.integration.core.conftest import MakeDriver
from tests.support.login_driver import LoginDriver
from tests.support.provider import RunningProvider

with warnings.catch_warnings():
    # authlib.jose announces its move to joserfc; it is used here precisely because it
    # is a second, independent implementation.
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.jose import JsonWebKey, JsonWebToken, KeySet
    from authlib.jose.errors import JoseError

PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}
RS256_ONLY = JsonWebToken(["RS256"])


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def published_keys(provider: RunningProvider) -> tuple[dict[str, Any], KeySet]:
    jwks = httpx.get(f"{provider.base_url}/jwks.json").json()
    return jwks, JsonWebKey.import_key_set(jwks)


def verify(token: str, keys: KeySet) -> dict[str, Any]:
    claims = RS256_ONLY.decode(token, keys)
    claims.validate()  # exp, nbf, iat
    return dict(claims)


def header_of(token: str) -> dict[str, Any]:
    header: dict[str, Any] = json.loads(b64url_decode(token.split(".")[0]))
    return header


def with_payload(token: str, **changes: Any) -> str:
    """The same header and signature over a different payload."""
    header, payload, signature = token.split(".")
    claims = json.loads(b64url_decode(payload))
    claims.update(changes)
    return ".".join([header, b64url(json.dumps(claims).encode()), signature])


def flip_one_char(token: str) -> str:
    header, payload, signature = token.split(".")
    middle = len(payload) // 2
    flipped = "A" if payload[middle] != "A" else "B"
    return ".".join([header, payload[:middle] + flipped + payload[middle + 1 :], signature])


def unsigned(token: str) -> str:
    _, payload, _ = token.split(".")
    return ".".join([b64url(b'{"alg":"none","typ":"JWT"}'), payload, ""])


@pytest.fixture
def tokens(make_driver: MakeDriver, testid_people: dict[str, str]) -> dict[str, Any]:
    driver = make_driver()
    response = driver.redeem(driver.login_for_code(testid_people["plain_employee"]))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    body["nonce"] = driver.nonce
    return body


def test_jwks_has_public_signing_keys_only(shared_provider: RunningProvider) -> None:
    jwks, _ = published_keys(shared_provider)
    assert jwks["keys"]
    for key in jwks["keys"]:
        assert not PRIVATE_MEMBERS & set(key), sorted(key)
        assert key["use"] == "sig"
        assert key["kid"]
        assert (key["kty"], key["alg"]) in {("RSA", "RS256"), ("EC", "ES256")}
        assert {"n", "e"} <= set(key) if key["kty"] == "RSA" else {"crv", "x", "y"} <= set(key)
    assert any(key["alg"] == "RS256" for key in jwks["keys"])


def test_id_token_verifies_with_authlib(
    shared_provider: RunningProvider, tokens: dict[str, Any], testid_people: dict[str, str]
) -> None:
    jwks, keys = published_keys(shared_provider)
    header = header_of(tokens["id_token"])
    assert header["alg"] == "RS256"
    assert header["kid"] in {key["kid"] for key in jwks["keys"]}
    claims = verify(tokens["id_token"], keys)
    assert claims["iss"] == shared_provider.settings.issuer
    assert claims["aud"] == "confidential-service"
    assert claims["nonce"] == tokens["nonce"]
    assert claims["pid"] == testid_people["plain_employee"]
    assert claims["acr"] == "substantial"


def test_a_testid_id_token_names_the_person(
    shared_provider: RunningProvider, tokens: dict[str, Any], testid_people: dict[str, str]
) -> None:
    """As Ansattporten's TestID: `name` is there without the profile scope (the
    synthetic person's name), `given_name` and `family_name` only with it."""
    _jwks, keys = published_keys(shared_provider)
    claims = verify(tokens["id_token"], keys)
    given, family = synthetic_name(testid_people["plain_employee"])
    assert claims["name"] == f"{given} {family}"
    assert "given_name" not in claims


def test_access_token_verifies_with_authlib(
    shared_provider: RunningProvider, tokens: dict[str, Any]
) -> None:
    _, keys = published_keys(shared_provider)
    assert header_of(tokens["access_token"])["typ"] == "at+jwt"
    claims = verify(tokens["access_token"], keys)
    assert claims["iss"] == shared_provider.settings.issuer
    assert claims["client_id"] == "confidential-service"
    assert claims["exp"] - claims["iat"] == tokens["expires_in"]


@pytest.mark.parametrize("which", ["id_token", "access_token"])
@pytest.mark.parametrize(
    "tamper",
    [
        flip_one_char,
        lambda token: with_payload(token, pid="10850199405"),
        lambda token: with_payload(token, acr="high"),
        lambda token: with_payload(token, exp=4102444800),
        unsigned,
        lambda token: token.rsplit(".", 1)[0] + ".",
    ],
    ids=["flip-char", "other-pid", "other-acr", "longer-exp", "alg-none", "no-signature"],
)
def test_tampered_token_does_not_verify(
    shared_provider: RunningProvider, tokens: dict[str, Any], which: str, tamper: Any
) -> None:
    _, keys = published_keys(shared_provider)
    verify(tokens[which], keys)  # the original does
    with pytest.raises((JoseError, ValueError)):
        verify(tamper(tokens[which]), keys)


@pytest.mark.parametrize(
    "tamper",
    [flip_one_char, lambda token: with_payload(token, pid="10850199405"), unsigned],
    ids=["flip-char", "other-pid", "alg-none"],
)
def test_provider_refuses_tampered_access_tokens(
    make_driver: MakeDriver, tokens: dict[str, Any], tamper: Any
) -> None:
    driver = make_driver()
    forged = tamper(tokens["access_token"])
    info = driver.service.get("/userinfo", headers={"Authorization": f"Bearer {forged}"})
    assert info.status_code == 401
    introspected = driver.service.post(
        "/token/introspect",
        data={"token": forged},
        auth=("confidential-service", "confidential-secret-0123456789"),
    )
    assert introspected.json() == {"active": False}


def test_id_token_is_not_an_access_token(make_driver: MakeDriver, tokens: dict[str, Any]) -> None:
    driver = make_driver()
    info = driver.service.get(
        "/userinfo", headers={"Authorization": f"Bearer {tokens['id_token']}"}
    )
    assert info.status_code == 401


@pytest.mark.parametrize(
    ("acr_values", "chosen", "returned"),
    [
        (None, "idporten-loa-substantial", "substantial"),
        (None, "idporten-loa-high", "high"),
        ("substantial", "idporten-loa-substantial", "substantial"),
        ("idporten-loa-high", "idporten-loa-high", "high"),
        ("high", "idporten-loa-high", "high"),
    ],
)
def test_acr_follows_the_level_chosen(
    shared_provider: RunningProvider,
    make_driver: MakeDriver,
    testid_people: dict[str, str],
    acr_values: str | None,
    chosen: str,
    returned: str,
) -> None:
    driver: LoginDriver = make_driver()
    login_url = driver.start(acr_values=acr_values)
    response = driver.login(login_url, testid_people["plain_employee"], acr=chosen)
    tokens = driver.redeem(driver.callback(response)["code"]).json()
    _, keys = published_keys(shared_provider)
    assert verify(tokens["id_token"], keys)["acr"] == returned
    assert verify(tokens["access_token"], keys)["acr"] == returned
