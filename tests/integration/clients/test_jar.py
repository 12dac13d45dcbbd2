"""Request objects by value (JAR, RFC 9101), as ID-porten documents them for a client
with a registered key: the signed object's parameters are the request's, at /authorize
and at /par; an object not signed by the client, not for us or out of date is refused
with `invalid_request_object`; a client without a key gets `request_not_supported`."""

from __future__ import annotations

import secrets
import time
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.integration.clients.conftest import JAR_KEY, MakeDriver
from tests.integration.core.test_request_objects import unsigned_request_object
from tests.support.login_driver import LoginDriver
from tests.support.oauth_checks import assert_error_page, assert_error_redirect, assert_json_error
from tests.support.provider import RunningProvider
from tests.support.tokens import verified_claims

PID = "45840375084"


def request_claims(
    driver: LoginDriver, provider: RunningProvider, **changes: Any
) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        **driver.params(),
        "iss": driver.client_id,
        "aud": provider.settings.issuer,
        "iat": now,
        "exp": now + 120,
        "jti": secrets.token_urlsafe(12),
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def signed(claims: dict[str, Any], key: RSAKey = JAR_KEY, alg: str = "RS256") -> str:
    return jwt.encode({"alg": alg, "kid": key.kid, "typ": "oauth-authz-req+jwt"}, claims, key)


def authorize_with_object(driver: LoginDriver, request: str, **outer: str) -> httpx.Response:
    return driver.authorize({"client_id": driver.client_id, "request": request, **outer})


def test_the_signed_objects_parameters_are_the_request(make_driver: MakeDriver, provider) -> None:
    driver = make_driver("jar-service")
    started = authorize_with_object(
        driver,
        signed(request_claims(driver, provider, scope="openid profile", ui_locales="nn")),
        response_type="code",
        scope="openid",
    )
    assert started.status_code == 303, started.text

    callback = driver.callback(driver.login(started.headers["location"], PID))

    assert callback["state"] == driver.state
    tokens = driver.redeem(callback["code"]).json()
    identity = verified_claims(provider.base_url, tokens["id_token"])
    assert identity["nonce"] == driver.nonce
    assert identity["locale"] == "nn"
    assert tokens["scope"] == "openid profile"


def test_parameters_beside_the_object_are_ignored(make_driver: MakeDriver, provider) -> None:
    """RFC 9101 6.3: only the object counts - an attacker who changes the URL cannot
    change what the client signed."""
    driver = make_driver("jar-service")
    started = authorize_with_object(
        driver,
        signed(request_claims(driver, provider)),
        redirect_uri="http://jar.test/other",
        state="outer-state",
        nonce="outer-nonce",
    )

    callback = driver.callback(driver.login(started.headers["location"], PID))

    assert callback["state"] == driver.state


def test_an_object_can_be_pushed(make_driver: MakeDriver, provider) -> None:
    driver = make_driver("jar-service")
    extra, auth = driver.client_auth()
    pushed = driver.service.post(
        "/par", data={"request": signed(request_claims(driver, provider)), **extra}, auth=auth
    )
    assert pushed.status_code == 201, pushed.text

    started = driver.authorize(
        {"client_id": driver.client_id, "request_uri": pushed.json()["request_uri"]}
    )
    callback = driver.callback(driver.login(started.headers["location"], PID))

    assert driver.redeem(callback["code"]).status_code == 200


def bad_object(case: str, driver: LoginDriver, provider: RunningProvider) -> str:
    stranger = RSAKey.generate_key(2048, parameters={"kid": "jar-1"}, private=True)
    now = int(time.time())
    cases = {
        "unsigned": lambda: unsigned_request_object(request_claims(driver, provider)),
        "another_key": lambda: signed(request_claims(driver, provider), stranger),
        "wrong_aud": lambda: signed(request_claims(driver, provider, aud="https://idporten.no")),
        "wrong_iss": lambda: signed(request_claims(driver, provider, iss="confidential-service")),
        "other_client_id": lambda: signed(
            request_claims(driver, provider, client_id="confidential-service")
        ),
        "expired": lambda: signed(request_claims(driver, provider, exp=now - 5)),
        "no_exp": lambda: signed(request_claims(driver, provider, exp=None)),
        "for_a_day": lambda: signed(request_claims(driver, provider, exp=now + 86_400)),
        "nested": lambda: signed(
            request_claims(driver, provider, request_uri="https://jar.test/r.jwt")
        ),
        "encrypted": lambda: "a.b.c.d.e",
        "garbage": lambda: "not-a-jwt",
    }
    return cases[case]()


@pytest.mark.parametrize(
    "case",
    [
        "unsigned",
        "another_key",
        "wrong_aud",
        "wrong_iss",
        "other_client_id",
        "expired",
        "no_exp",
        "for_a_day",
        "nested",
        "encrypted",
        "garbage",
    ],
)
def test_a_bad_object_is_refused(make_driver: MakeDriver, provider, case: str) -> None:
    driver = make_driver("jar-service")
    request = bad_object(case, driver, provider)

    at_authorize = authorize_with_object(
        driver, request, redirect_uri=driver.redirect_uri, state=driver.state
    )
    at_par = driver.push({"request": request})

    assert_error_redirect(
        at_authorize,
        driver.redirect_uri,
        "invalid_request_object",
        issuer=provider.settings.issuer,
        state=driver.state,
    )
    assert_json_error(at_par, "invalid_request_object")


def test_without_a_trusted_redirect_uri_a_bad_object_gets_a_page(
    make_driver: MakeDriver, provider
) -> None:
    driver = make_driver("jar-service")

    assert_error_page(authorize_with_object(driver, bad_object("unsigned", driver, provider)))


def test_an_object_is_used_once(make_driver: MakeDriver, provider) -> None:
    driver = make_driver("jar-service")
    request = signed(request_claims(driver, provider))
    assert authorize_with_object(driver, request).status_code == 303

    again = authorize_with_object(driver, request, redirect_uri=driver.redirect_uri)

    assert_error_redirect(
        again,
        driver.redirect_uri,
        "invalid_request_object",
        issuer=provider.settings.issuer,
        state=None,
    )


def test_a_client_without_a_registered_key_is_told_request_not_supported(
    make_driver: MakeDriver, provider
) -> None:
    driver = make_driver("confidential-service")
    request = signed(request_claims(driver, provider))

    assert_json_error(driver.push({"request": request}), "request_not_supported")


def test_discovery_says_request_objects_by_value_are_supported(provider) -> None:
    metadata = httpx.get(f"{provider.base_url}/.well-known/openid-configuration").json()

    assert metadata["request_parameter_supported"] is True
    assert metadata["request_uri_parameter_supported"] is False
    assert "RS256" in metadata["request_object_signing_alg_values_supported"]
    assert "none" not in metadata["request_object_signing_alg_values_supported"]
