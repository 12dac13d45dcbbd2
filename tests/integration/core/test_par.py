"""Pushed authorization requests (RFC 9126): client authentication as at /token, JSON
errors (never a redirect), and a `request_uri` that is single use, bound to the client
that pushed it (and short-lived: see test_expiry.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.integration.core.conftest import MakeDriver
from tests.support.login_driver import LoginDriver
from tests.support.oauth_checks import (
    assert_error_page,
    assert_error_redirect,
    assert_json_error,
)
from tests.support.provider import RunningProvider

REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:"


def pushed_uri(driver: LoginDriver, **overrides: Any) -> str:
    response = driver.push(driver.params(**overrides))
    assert response.status_code == 201, response.text
    request_uri: str = response.json()["request_uri"]
    return request_uri


def authorize_with(driver: LoginDriver, request_uri: str, **extra: str) -> httpx.Response:
    return driver.authorize({"client_id": driver.client_id, "request_uri": request_uri, **extra})


@pytest.mark.parametrize("client_id", ["confidential-service", "post-service", "public-spa"])
def test_push_answers_201_with_request_uri(
    make_driver: MakeDriver, shared_provider: RunningProvider, client_id: str
) -> None:
    driver = make_driver(client_id)
    response = driver.push(driver.params())
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"request_uri", "expires_in"}
    assert body["request_uri"].startswith(REQUEST_URI_PREFIX)
    assert body["expires_in"] == shared_provider.settings.par_lifetime
    started = authorize_with(driver, body["request_uri"])
    assert started.status_code == 303, started.text
    assert "/login/" in started.headers["location"]


def test_each_push_gets_a_new_request_uri(make_driver: MakeDriver) -> None:
    driver = make_driver()
    assert pushed_uri(driver) != pushed_uri(driver)


# --- client authentication -----------------------------------------------------------------


def test_wrong_secret_basic_is_401(make_driver: MakeDriver) -> None:
    driver = make_driver()
    response = driver.service.post(
        "/par", data=driver.params(), auth=("confidential-service", "wrong-secret")
    )
    assert_json_error(response, "invalid_client", 401)
    assert response.headers["www-authenticate"].lower().startswith("basic")


def test_wrong_secret_post_is_401(make_driver: MakeDriver) -> None:
    driver = make_driver("post-service")
    response = driver.service.post(
        "/par", data={**driver.params(), "client_secret": "wrong-secret"}
    )
    assert_json_error(response, "invalid_client", 401)


@pytest.mark.parametrize(
    ("client_id", "form", "auth"),
    [
        # a confidential client cannot fall back to `none`
        ("confidential-service", {}, None),
        # a basic client cannot use client_secret_post
        ("confidential-service", {"client_secret": "confidential-secret-0123456789"}, None),
        # a post client cannot use client_secret_basic
        ("post-service", {}, ("post-service", "post-secret-0123456789")),
        # a public client cannot present a secret
        ("public-spa", {"client_secret": "anything-at-all"}, None),
        # an unknown client
        ("no-such-client", {}, None),
        ("no-such-client", {}, ("no-such-client", "secret")),
    ],
)
def test_client_must_use_its_registered_method(
    make_driver: MakeDriver,
    client_id: str,
    form: dict[str, str],
    auth: tuple[str, str] | None,
) -> None:
    driver = make_driver("public-spa")
    params = {**driver.params(client_id=client_id), **form}
    response = driver.service.post("/par", data=params, auth=auth)  # type: ignore[arg-type]
    assert_json_error(response, "invalid_client", 401)


def test_public_client_pushes_with_none(make_driver: MakeDriver) -> None:
    driver = make_driver("public-spa")
    response = driver.service.post("/par", data=driver.params())
    assert response.status_code == 201, response.text


# --- invalid requests: 400 JSON, never a redirect ------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"redirect_uri": "http://service.test/callback?x=2"}, "invalid_request"),
        ({"redirect_uri": "http://service.test/callback/"}, "invalid_request"),
        ({"redirect_uri": "http://evil.test/callback"}, "invalid_request"),
        ({"redirect_uri": None}, "invalid_request"),
        ({"response_type": None}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "profile"}, "invalid_scope"),
        ({"state": None}, "invalid_request"),
        ({"nonce": None}, "invalid_request"),
        ({"code_challenge": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"response_mode": "fragment"}, "invalid_request"),
        ({"acr_values": "idporten-loa-low"}, "invalid_request"),
        ({"authorization_details": "[{"}, "invalid_authorization_details"),
        (
            {"authorization_details": '[{"type": "ansattporten:orgno"}]'},
            "invalid_authorization_details",
        ),
    ],
    ids=lambda value: str(value),
)
def test_invalid_push_is_400_json(
    make_driver: MakeDriver, overrides: dict[str, Any], error: str
) -> None:
    driver = make_driver()
    response = driver.push(driver.params(**overrides))
    body = assert_json_error(response, error)
    assert body.get("error_description")


def test_request_uri_cannot_be_pushed(make_driver: MakeDriver) -> None:
    driver = make_driver()
    request_uri = pushed_uri(driver)
    response = driver.push(driver.params(request_uri=request_uri))
    assert_json_error(response, "invalid_request")


def test_repeated_parameter_in_push_is_400(make_driver: MakeDriver) -> None:
    driver = make_driver("post-service")
    extra, _ = driver.client_auth()
    pairs = [*driver.params().items(), *extra.items(), ("state", "another-state")]
    response = driver.service.post(
        "/par",
        content=urlencode(pairs),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_json_error(response, "invalid_request")


def test_push_must_be_a_form(make_driver: MakeDriver) -> None:
    driver = make_driver()
    response = driver.service.post(
        "/par", json=driver.params(), auth=("confidential-service", driver.secret or "")
    )
    assert_json_error(response, "invalid_request")


# --- the request_uri at /authorize ---------------------------------------------------------


def test_request_uri_is_single_use(make_driver: MakeDriver) -> None:
    """Used again, a request_uri never starts a second login: the browser that started
    the login resumes it (a retried /authorize), any other goes back to the service with
    `invalid_request`."""
    driver = make_driver()
    request_uri = pushed_uri(driver)
    first = authorize_with(driver, request_uri)
    assert first.status_code == 303

    again = authorize_with(driver, request_uri)
    assert again.status_code == 303
    assert again.headers["location"] == first.headers["location"]

    elsewhere = make_driver()
    refused = authorize_with(elsewhere, request_uri)
    assert refused.status_code == 303
    assert refused.headers["location"].startswith(driver.redirect_uri)
    assert elsewhere.callback(refused)["error"] == "invalid_request"


def test_request_uri_is_bound_to_the_client_that_pushed_it(make_driver: MakeDriver) -> None:
    pusher = make_driver()
    other = make_driver("second-service")
    request_uri = pushed_uri(pusher)
    assert_error_page(authorize_with(other, request_uri))
    # the client_id must be sent: the request_uri alone names no client
    assert_error_page(pusher.authorize({"request_uri": request_uri}))


@pytest.mark.parametrize(
    "request_uri",
    [
        REQUEST_URI_PREFIX + "A" * 43,  # well-formed, never issued
        REQUEST_URI_PREFIX + "short",
        "urn:idporten:JF38qJvAge0yvmYC4Hw3P0NXCahVkqlpeVCm_4K0paw",
        "https://service.test/request.jwt",
    ],
)
def test_unknown_request_uri_shows_page(make_driver: MakeDriver, request_uri: str) -> None:
    driver = make_driver()
    assert_error_page(authorize_with(driver, request_uri))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("state", "another-state"),
        ("scope", "openid"),
        ("nonce", "another-nonce"),
        ("prompt", "login"),
        ("redirect_uri", "http://service.test/callback"),
        ("authorization_details", "[]"),
    ],
)
def test_parameters_beside_request_uri_are_refused(
    make_driver: MakeDriver, shared_provider: RunningProvider, name: str, value: str
) -> None:
    driver = make_driver()
    request_uri = pushed_uri(driver)
    response = authorize_with(driver, request_uri, **{name: value})
    params = assert_error_redirect(
        response,
        driver.redirect_uri,
        "invalid_request",
        issuer=shared_provider.settings.issuer,
        state=driver.state,
    )
    assert name in params["error_description"]


def test_unknown_parameters_beside_request_uri_are_ignored(make_driver: MakeDriver) -> None:
    driver = make_driver()
    response = authorize_with(driver, pushed_uri(driver), foo="bar")
    assert response.status_code == 303
    assert "/login/" in response.headers["location"]


def test_pushed_errors_after_validation_redirect(
    make_driver: MakeDriver, shared_provider: RunningProvider
) -> None:
    """prompt=none is valid to push, but cannot be honoured: login_required comes back
    to the pushed redirect_uri with the pushed state."""
    driver = make_driver()
    response = authorize_with(driver, pushed_uri(driver, prompt="none"))
    assert_error_redirect(
        response,
        driver.redirect_uri,
        "login_required",
        issuer=shared_provider.settings.issuer,
        state=driver.state,
    )
