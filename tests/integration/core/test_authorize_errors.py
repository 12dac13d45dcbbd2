"""/authorize errors as spec section 7 (and 3.3) says: a request whose client or
redirect_uri cannot be trusted gets an error page and never a redirect; every other
error goes back to the exact redirect_uri with `error`, `error_description`, `state`
and `iss` - as a query or, with response_mode=form_post, as a form post."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.integration.core.conftest import MakeDriver
from tests.support.login_driver import LoginDriver
from tests.support.oauth_checks import (
    assert_error_page,
    assert_error_redirect,
    form_post_params,
    redirect_params,
)
from tests.support.provider import RunningProvider

METHODS = ["GET", "POST"]

RAR_RESOURCE = [{"type": "ansattporten:altinn:resource", "resource": "urn:altinn:resource:x"}]


def send(driver: LoginDriver, method: str, params: Any) -> httpx.Response:
    """The browser sends the authorization request as a query (GET) or a form (POST)."""
    if method == "GET":
        return driver.browser.get("/authorize", params=params)
    return driver.browser.post("/authorize", data=params)


def as_pairs(params: dict[str, str], *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [*params.items(), *extra]


def send_pairs(driver: LoginDriver, method: str, pairs: list[tuple[str, str]]) -> httpx.Response:
    """Like `send`, for requests that repeat a parameter (a dict cannot)."""
    if method == "GET":
        return driver.browser.get("/authorize?" + urlencode(pairs))
    return driver.browser.post(
        "/authorize",
        content=urlencode(pairs),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def assert_starts_login(response: httpx.Response, provider: RunningProvider) -> str:
    assert response.status_code == 303, (response.status_code, response.text[:500])
    location = response.headers["location"]
    assert location.startswith(f"{provider.settings.issuer}/login/"), location
    return location


# --- the client cannot be trusted: a page, no redirect -------------------------------------

UNREGISTERED_REDIRECT_URIS = [
    "http://service.test/callback?x=2",  # registered: ...?x=1
    "http://service.test/callback?x=1&y=2",
    "http://service.test/callback?extra=1",
    "http://service.test/callback/",
    "http://service.test/Callback",
    "http://SERVICE.test/callback",
    "https://service.test/callback",
    "http://service.test/call",  # a prefix
    "http://service.test/callback/more",  # registered URI as a prefix
    "http://service.test/callback#fragment",
    "http://service.test:80/callback",
    "http://second.test/callback",  # registered, but for another client
    "http://evil.test/?http://service.test/callback",
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("redirect_uri", UNREGISTERED_REDIRECT_URIS)
def test_unregistered_redirect_uri_shows_page(
    make_driver: MakeDriver, method: str, redirect_uri: str
) -> None:
    driver = make_driver()
    assert_error_page(send(driver, method, driver.params(redirect_uri=redirect_uri)))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "overrides",
    [
        {"client_id": "no-such-client"},
        {"client_id": "CONFIDENTIAL-SERVICE"},
        {"client_id": None},
        {"redirect_uri": None},
        # an unknown client or unregistered redirect_uri wins over every other error
        {"client_id": "no-such-client", "state": None, "prompt": "none"},
        {"redirect_uri": "http://evil.test/callback", "prompt": "none"},
        {"redirect_uri": "http://evil.test/callback", "response_type": "token"},
        {"redirect_uri": "http://evil.test/callback", "response_mode": "form_post", "nonce": None},
    ],
    ids=lambda overrides: ",".join(f"{k}={v}" for k, v in overrides.items()),
)
def test_untrusted_client_shows_page(
    make_driver: MakeDriver, method: str, overrides: dict[str, Any]
) -> None:
    driver = make_driver()
    assert_error_page(send(driver, method, driver.params(**overrides)))


@pytest.mark.parametrize("name", ["client_id", "redirect_uri"])
def test_repeated_client_id_or_redirect_uri_shows_page(make_driver: MakeDriver, name: str) -> None:
    driver = make_driver()
    params = driver.params()
    assert_error_page(send_pairs(driver, "GET", as_pairs(params, (name, params[name]))))


# --- the client is trusted: errors go back to its redirect_uri -----------------------------

REDIRECTED_ERRORS: list[tuple[dict[str, Any], str]] = [
    ({"response_type": None}, "invalid_request"),
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"response_type": "code id_token"}, "unsupported_response_type"),
    ({"scope": "profile"}, "invalid_scope"),
    ({"scope": "openid unregistered-scope"}, "invalid_scope"),
    ({"nonce": None}, "invalid_request"),
    ({"code_challenge": None}, "invalid_request"),
    ({"code_challenge": "too-short"}, "invalid_request"),
    ({"code_challenge_method": "plain"}, "invalid_request"),
    ({"code_challenge_method": None}, "invalid_request"),
    ({"code_challenge_method": "s256"}, "invalid_request"),
    ({"response_mode": "fragment"}, "invalid_request"),
    ({"response_mode": "bogus"}, "invalid_request"),
    ({"prompt": "none"}, "login_required"),
    ({"prompt": "bogus"}, "invalid_request"),
    ({"max_age": "-1"}, "invalid_request"),
    ({"acr_values": "idporten-loa-low"}, "invalid_request"),
    ({"acr_values": "entraid level4"}, "invalid_request"),
    ({"authorization_details": "{not json"}, "invalid_authorization_details"),
    ({"authorization_details": '{"type": "x"}'}, "invalid_authorization_details"),
    ({"authorization_details": '[{"resource": "x"}]'}, "invalid_authorization_details"),
    ({"authorization_details": '["x"]'}, "invalid_authorization_details"),
    ({"authorization_details": json.dumps(RAR_RESOURCE)}, "invalid_authorization_details"),
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("overrides", "error"),
    REDIRECTED_ERRORS,
    ids=[",".join(f"{k}={v}" for k, v in o.items()) for o, _ in REDIRECTED_ERRORS],
)
def test_error_is_redirected_with_state_and_iss(
    make_driver: MakeDriver,
    shared_provider: RunningProvider,
    method: str,
    overrides: dict[str, Any],
    error: str,
) -> None:
    driver = make_driver()
    response = send(driver, method, driver.params(**overrides))
    assert_error_redirect(
        response,
        driver.redirect_uri,
        error,
        issuer=shared_provider.settings.issuer,
        state=driver.state,
    )


@pytest.mark.parametrize("method", METHODS)
def test_missing_state_is_redirected_without_state(
    make_driver: MakeDriver, shared_provider: RunningProvider, method: str
) -> None:
    driver = make_driver()
    response = send(driver, method, driver.params(state=None))
    params = assert_error_redirect(
        response,
        driver.redirect_uri,
        "invalid_request",
        issuer=shared_provider.settings.issuer,
        state=None,
    )
    assert "state" in params["error_description"]


def test_state_is_echoed_byte_for_byte(
    make_driver: MakeDriver, shared_provider: RunningProvider
) -> None:
    driver = make_driver()
    state = "a b&c=d/e?f%g+h"
    response = send(driver, "GET", driver.params(state=state, nonce=None))
    assert_error_redirect(
        response,
        driver.redirect_uri,
        "invalid_request",
        issuer=shared_provider.settings.issuer,
        state=state,
    )


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", ["state", "nonce", "scope", "code_challenge", "prompt"])
def test_repeated_parameter_is_invalid_request(
    make_driver: MakeDriver, shared_provider: RunningProvider, method: str, name: str
) -> None:
    driver = make_driver()
    params = driver.params(prompt="login")
    pairs = as_pairs(params, (name, params[name] if name != "state" else "another-state"))
    response = send_pairs(driver, method, pairs)
    params_back = assert_error_redirect(
        response,
        driver.redirect_uri,
        "invalid_request",
        issuer=shared_provider.settings.issuer,
        state=driver.state,
    )
    assert name in params_back["error_description"]


def test_error_keeps_the_registered_query(
    make_driver: MakeDriver, shared_provider: RunningProvider
) -> None:
    driver = make_driver()
    redirect_uri = "http://service.test/callback?x=1"
    response = send(driver, "GET", driver.params(redirect_uri=redirect_uri, nonce=None))
    params = assert_error_redirect(
        response,
        redirect_uri,
        "invalid_request",
        issuer=shared_provider.settings.issuer,
        state=driver.state,
    )
    assert params["x"] == "1"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"nonce": None}, "invalid_request"),
        ({"prompt": "none"}, "login_required"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"authorization_details": "[{"}, "invalid_authorization_details"),
    ],
)
def test_form_post_errors_are_posted(
    make_driver: MakeDriver,
    shared_provider: RunningProvider,
    method: str,
    overrides: dict[str, Any],
    error: str,
) -> None:
    driver = make_driver()
    response = send(driver, method, driver.params(response_mode="form_post", **overrides))
    fields = form_post_params(response, driver.redirect_uri)
    assert fields["error"] == error
    assert fields["error_description"]
    assert fields["state"] == driver.state
    assert fields["iss"] == shared_provider.settings.issuer
    assert "code" not in fields


def test_form_post_without_state(make_driver: MakeDriver, shared_provider: RunningProvider) -> None:
    driver = make_driver()
    response = send(driver, "GET", driver.params(response_mode="form_post", state=None))
    fields = form_post_params(response, driver.redirect_uri)
    assert fields["error"] == "invalid_request"
    assert "state" not in fields
    assert fields["iss"] == shared_provider.settings.issuer


# --- accepted requests ---------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"prompt": "login"},
        {"prompt": "login", "max_age": "0"},
        {"max_age": "3600"},
        {"scope": "openid profile"},
        {"ui_locales": "en nb"},
        {"login_hint": "someone"},
        {"authorization_details": "[]"},
        {"acr_values": "idporten-loa-high unknown-level"},
        {"redirect_uri": "http://service.test/callback?x=1"},
        # unknown parameters are ignored, even odd or repeated ones
        {"foo": "bar", "claims": '{"id_token": {}}', "display": "page", "x": "1"},
    ],
    ids=lambda overrides: ",".join(f"{k}={v}" for k, v in overrides.items()) or "plain",
)
def test_accepted_requests_start_a_login(
    make_driver: MakeDriver,
    shared_provider: RunningProvider,
    method: str,
    overrides: dict[str, Any],
) -> None:
    driver = make_driver()
    response = send(driver, method, driver.params(**overrides))
    login_url = assert_starts_login(response, shared_provider)
    page = driver.browser.get(login_url)
    assert page.status_code == 200
    assert 'name="pid"' in page.text


def test_unknown_parameter_repeated_is_ignored(
    make_driver: MakeDriver, shared_provider: RunningProvider
) -> None:
    driver = make_driver()
    pairs = as_pairs(driver.params(), ("foo", "1"), ("foo", "2"))
    assert_starts_login(send_pairs(driver, "GET", pairs), shared_provider)


@pytest.mark.parametrize(
    ("acr_values", "offered", "not_offered"),
    [
        ("substantial", "idporten-loa-substantial", "idporten-loa-high"),
        ("high", "idporten-loa-high", "idporten-loa-substantial"),
        ("idporten-loa-high", "idporten-loa-high", "idporten-loa-substantial"),
    ],
)
def test_legacy_acr_values_are_accepted(
    make_driver: MakeDriver,
    shared_provider: RunningProvider,
    acr_values: str,
    offered: str,
    not_offered: str,
) -> None:
    driver = make_driver()
    login_url = assert_starts_login(
        send(driver, "GET", driver.params(acr_values=acr_values)), shared_provider
    )
    page = driver.browser.get(login_url)
    assert f'value="{offered}"' in page.text
    assert f'value="{not_offered}"' not in page.text


def test_empty_authorization_details_means_no_representation(
    make_driver: MakeDriver, testid_people: dict[str, str]
) -> None:
    driver = make_driver()
    login_url = driver.start(via_par=False, authorization_details="[]")
    callback = redirect_params(
        driver.login(login_url, testid_people["plain_employee"]), driver.redirect_uri
    )
    tokens = driver.redeem(callback["code"])
    assert tokens.status_code == 200, tokens.text
    assert "authorization_details" not in tokens.json()


def test_successful_redirect_carries_code_state_and_iss(
    make_driver: MakeDriver, shared_provider: RunningProvider, testid_people: dict[str, str]
) -> None:
    driver = make_driver()
    redirect_uri = "http://service.test/callback?x=1"
    login_url = driver.start(via_par=False, redirect_uri=redirect_uri)
    params = redirect_params(driver.login(login_url, testid_people["plain_employee"]), redirect_uri)
    assert params["x"] == "1"
    assert params["state"] == driver.state
    assert params["iss"] == shared_provider.settings.issuer
    assert params["code"]
    assert "error" not in params
