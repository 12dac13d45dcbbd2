"""private_key_jwt (RFC 7523 2.2, RFC 9700 2.5) at every endpoint a client authenticates
at: /token, /par, /token/introspect and /token/revoke.

Each endpoint is first shown to accept a good assertion (the control), then to refuse
each kind of bad one with 401 `invalid_client` - so a test here fails as soon as a check
is dropped, not only when the endpoint breaks.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ansattporten.spec.rfc7523 import ASSERTION_TYPE
from tests.integration.security.support import (
    ClientKeys,
    SecurityDriver,
    assertion_claims,
    b64url,
    hs256_assertion,
    sign_assertion,
    unsigned_assertion,
)
from tests.support.oauth_checks import assert_json_error

Form = Callable[[SecurityDriver], dict[str, str]]

ENDPOINTS: dict[str, tuple[Form, int]] = {
    # what each endpoint is asked once the client is authenticated, and its answer then
    "/token": (
        lambda d: {
            "grant_type": "authorization_code",
            "code": "no-such-code",
            "redirect_uri": d.redirect_uri,
            "code_verifier": d.verifier,
        },
        400,  # invalid_grant: authentication passed, the code did not
    ),
    "/par": (lambda d: d.params(), 201),
    "/token/introspect": (lambda d: {"token": "not-a-token"}, 200),
    "/token/revoke": (lambda d: {"token": "not-a-token"}, 200),
}


def post(
    driver: SecurityDriver,
    path: str,
    assertion: str | None,
    *,
    extra: dict[str, str] | None = None,
    auth: tuple[str, str] | None = None,
) -> httpx.Response:
    form, _ = ENDPOINTS[path]
    data = form(driver)
    if assertion is not None:
        data.update({"client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion})
    data.update(extra or {})
    return driver.service.post(path, data=data, auth=auth)  # type: ignore[arg-type]


def assert_accepted(response: httpx.Response, path: str) -> None:
    expected = ENDPOINTS[path][1]
    assert response.status_code == expected, (path, response.status_code, response.text)
    if path == "/token":
        assert response.json()["error"] == "invalid_grant", response.text


def assert_refused(response: httpx.Response) -> None:
    assert_json_error(response, "invalid_client", 401)


@pytest.fixture
def jwt_driver(make_driver: Callable[..., SecurityDriver]) -> SecurityDriver:
    return make_driver("jwt-service")


# the control ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("key_name", ["rsa", "ec"])
def test_a_good_assertion_is_accepted(jwt_driver, client_keys, path, key_name):
    key = getattr(client_keys, key_name)
    assertion = sign_assertion(key, assertion_claims("jwt-service", jwt_driver.issuer))

    assert_accepted(post(jwt_driver, path, assertion), path)


def test_a_whole_login_with_private_key_jwt(jwt_driver):
    """PAR, code, refresh, introspection and revocation, each with a fresh assertion."""
    tokens = jwt_driver.tokens()
    assert jwt_driver.introspect(tokens["access_token"]).json()["active"] is True

    refreshed = jwt_driver.refresh(tokens["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    assert jwt_driver.revoke(refreshed.json()["access_token"]).status_code == 200

    assert jwt_driver.introspect(refreshed.json()["access_token"]).json() == {"active": False}


# bad assertions -----------------------------------------------------------------------------


def _aud_token_endpoint(d: SecurityDriver, k: ClientKeys) -> str:
    return sign_assertion(k.rsa, assertion_claims(d.client_id, f"{d.issuer}/token"))


def _aud_other_issuer(d: SecurityDriver, k: ClientKeys) -> str:
    return sign_assertion(k.rsa, assertion_claims(d.client_id, "https://other-provider.test"))


def _expired(d: SecurityDriver, k: ClientKeys) -> str:
    now = int(time.time())
    return sign_assertion(
        k.rsa, assertion_claims(d.client_id, d.issuer, iat=now - 120, exp=now - 60)
    )


def _exp_far_ahead(d: SecurityDriver, k: ClientKeys) -> str:
    exp = int(time.time()) + 3600
    return sign_assertion(k.rsa, assertion_claims(d.client_id, d.issuer, exp=exp))


def _no_exp(d: SecurityDriver, k: ClientKeys) -> str:
    return sign_assertion(k.rsa, assertion_claims(d.client_id, d.issuer, exp=None))


def _no_jti(d: SecurityDriver, k: ClientKeys) -> str:
    return sign_assertion(k.rsa, assertion_claims(d.client_id, d.issuer, jti=None))


def _hs256_keyed_with_public_key(d: SecurityDriver, k: ClientKeys) -> str:
    """The classic confusion: HMAC with the client's published RSA key as the secret."""
    return hs256_assertion(
        k.rsa.as_pem(private=False), assertion_claims(d.client_id, d.issuer), "jwt-rs"
    )


def _alg_none(d: SecurityDriver, k: ClientKeys) -> str:
    return unsigned_assertion(assertion_claims(d.client_id, d.issuer), "jwt-rs")


def _unregistered_key_same_kid(d: SecurityDriver, k: ClientKeys) -> str:
    return sign_assertion(k.stranger, assertion_claims(d.client_id, d.issuer))


def _iss_is_not_sub(d: SecurityDriver, k: ClientKeys) -> str:
    return sign_assertion(
        k.rsa, assertion_claims(d.client_id, d.issuer, sub="confidential-service")
    )


def _sub_is_not_iss(d: SecurityDriver, k: ClientKeys) -> str:
    return sign_assertion(k.rsa, assertion_claims(d.client_id, d.issuer, iss="jwt-uri-service"))


def _posing_as_another_jwt_client(d: SecurityDriver, k: ClientKeys) -> str:
    """Signed with jwt-service's key, claiming to be jwt-uri-service (whose JWKS at its
    jwks_uri holds a different key)."""
    return sign_assertion(k.rsa, assertion_claims("jwt-uri-service", d.issuer))


def _tampered_payload(d: SecurityDriver, k: ClientKeys) -> str:
    header, _, signature = sign_assertion(k.rsa, assertion_claims(d.client_id, d.issuer)).split(".")
    forged = assertion_claims(d.client_id, d.issuer, exp=int(time.time()) + 120)
    return f"{header}.{b64url(json.dumps(forged).encode())}.{signature}"


def _not_a_jwt(d: SecurityDriver, k: ClientKeys) -> str:
    return "this.is-not.a-jwt"


BAD_ASSERTIONS: dict[str, Callable[[SecurityDriver, ClientKeys], str]] = {
    "aud_is_token_endpoint": _aud_token_endpoint,
    "aud_is_another_issuer": _aud_other_issuer,
    "expired": _expired,
    "exp_too_far_ahead": _exp_far_ahead,
    "no_exp": _no_exp,
    "no_jti": _no_jti,
    "hs256_keyed_with_public_key": _hs256_keyed_with_public_key,
    "alg_none": _alg_none,
    "key_not_registered": _unregistered_key_same_kid,
    "iss_is_not_sub": _iss_is_not_sub,
    "sub_is_not_iss": _sub_is_not_iss,
    "posing_as_another_client": _posing_as_another_jwt_client,
    "tampered_payload": _tampered_payload,
    "not_a_jwt": _not_a_jwt,
}


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("case", BAD_ASSERTIONS)
def test_a_bad_assertion_is_refused(jwt_driver, client_keys, path, case):
    assertion = BAD_ASSERTIONS[case](jwt_driver, client_keys)

    assert_refused(post(jwt_driver, path, assertion))


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_wrong_assertion_type_is_refused(jwt_driver, path):
    response = post(
        jwt_driver,
        path,
        jwt_driver.assertion(),
        extra={"client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"},
    )

    assert_refused(response)


# replay -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_replayed_assertion_is_refused(jwt_driver, path):
    assertion = jwt_driver.assertion()
    assert_accepted(post(jwt_driver, path, assertion), path)

    assert_refused(post(jwt_driver, path, assertion))


def test_an_assertion_used_at_par_cannot_be_replayed_at_token(jwt_driver):
    assertion = jwt_driver.assertion()
    assert_accepted(post(jwt_driver, "/par", assertion), "/par")

    assert_refused(post(jwt_driver, "/token", assertion))


# method mismatch ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    ("extra", "auth"),
    [
        ({}, ("jwt-service", "a-guessed-secret-0123456789")),
        ({"client_id": "jwt-service", "client_secret": "a-guessed-secret-0123456789"}, None),
        ({"client_id": "jwt-service"}, None),
    ],
    ids=["basic", "post", "none"],
)
def test_a_private_key_jwt_client_cannot_use_another_method(jwt_driver, path, extra, auth):
    assert_refused(post(jwt_driver, path, None, extra=extra, auth=auth))


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_secret_client_presenting_an_assertion_is_refused(make_driver, client_keys, path):
    """confidential-service registered client_secret_basic; a perfectly signed assertion
    (with a key of another client) must not stand in for its secret."""
    driver = make_driver("confidential-service")
    assertion = sign_assertion(client_keys.rsa, assertion_claims(driver.client_id, driver.issuer))

    assert_refused(post(driver, path, assertion))


def test_a_form_client_id_that_differs_from_the_assertion_is_refused(jwt_driver):
    response = post(jwt_driver, "/token", jwt_driver.assertion(), extra={"client_id": "public-spa"})

    assert response.status_code == 401, response.text


def test_an_assertion_and_a_secret_together_are_refused(jwt_driver):
    response = post(
        jwt_driver, "/token", jwt_driver.assertion(), auth=("jwt-service", "any-secret-at-all")
    )

    assert response.status_code in (400, 401), response.text
    assert response.json()["error"] in ("invalid_request", "invalid_client")


# jwks_uri -----------------------------------------------------------------------------------


def test_jwks_uri_client_logs_in_with_keys_from_its_jwks_uri(make_driver):
    driver = make_driver("jwt-uri-service")

    tokens = driver.tokens()

    assert tokens["token_type"] == "Bearer"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_jwks_uri_client_accepts_its_key_and_refuses_others(make_driver, client_keys, path):
    driver = make_driver("jwt-uri-service")
    assert_accepted(post(driver, path, driver.assertion()), path)

    registered_elsewhere = sign_assertion(
        client_keys.rsa, assertion_claims(driver.client_id, driver.issuer)
    )
    assert_refused(post(driver, path, registered_elsewhere))


def test_an_unreachable_jwks_uri_refuses_the_client_not_the_server(make_driver, client_keys):
    driver = make_driver("jwt-dead-uri-service")
    assertion = sign_assertion(client_keys.rsa, assertion_claims(driver.client_id, driver.issuer))

    assert_refused(post(driver, "/token", assertion))


def _claims_of(assertion: str) -> dict[str, Any]:
    payload = assertion.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * 3))
    return decoded


def test_the_assertion_helper_makes_what_the_provider_expects(jwt_driver):
    """Guard for the tests above: the good assertion is exactly RFC 7523's shape."""
    claims = _claims_of(jwt_driver.assertion())

    assert claims["iss"] == claims["sub"] == "jwt-service"
    assert claims["aud"] == jwt_driver.issuer
    assert 0 < claims["exp"] - time.time() <= 60
