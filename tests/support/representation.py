"""Steps of a login with representation, over real HTTP, for the representation tests."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from tests.support.login_driver import LoginDriver
from tests.support.pages import Page, assert_page

REFRESHING_CLIENT = {
    "client_id": "confidential-service",
    "client_secret": "confidential-secret-0123456789",
    "redirect_uris": ["http://service.test/callback"],
    "grant_types": ["authorization_code", "refresh_token"],
}
"""The usual confidential client, also allowed refresh tokens."""


def rechecking_provider(register_url: str, recheck: bool) -> dict[str, Any]:
    """Provider overrides: the Altinn source at `register_url`, the refreshing client."""
    return {
        "clients": [REFRESHING_CLIENT],
        "sources": {"altinn": {"base_url": register_url}},
        "refresh_rechecks_sources": recheck,
        "rate_limit": False,
    }


def refresh(driver: LoginDriver, refresh_token: str) -> httpx.Response:
    """The refresh_token grant, as `REFRESHING_CLIENT`."""
    return driver.service.post(
        "/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=(REFRESHING_CLIENT["client_id"], REFRESHING_CLIENT["client_secret"]),  # type: ignore[arg-type]
    )


def to_picker(driver: LoginDriver, details: list[dict[str, Any]], pid: str, **params: Any) -> str:
    """Push the request, log in, and return the organisation picker's URL."""
    response = driver.login(driver.start(details, **params), pid)
    assert response.status_code == 303, (response.status_code, response.text[:500])
    location = response.headers["location"]
    assert "/organisation/" in urlsplit(location).path, location
    return location


def open_picker(driver: LoginDriver, url: str, query: str | None = None) -> Page:
    """GET the picker (optionally searching), expecting the page."""
    if query is not None:
        url = f"{url}?{urlencode({'q': query})}"
    return assert_page(driver.browser.get(url), 200)


def csrf_of(driver: LoginDriver, url: str) -> str:
    page = open_picker(driver, url)
    tokens = [attrs["value"] for attrs in page.inputs if attrs.get("name") == "csrf_token"]
    assert tokens, "the picker has no CSRF token"
    return tokens[0]


def post_choice(
    driver: LoginDriver,
    url: str,
    parties: list[str],
    *,
    csrf: str | None,
    button: str = "choose",
) -> httpx.Response:
    """Post the picker form by hand: any `party` values, with or without a CSRF token."""
    pairs = [("csrf_token", csrf)] if csrf is not None else []
    pairs += [("party", orgno) for orgno in parties]
    pairs.append((button, "1"))
    return driver.post_form(urlsplit(url).path, pairs)


def redeem_details(driver: LoginDriver, response: httpx.Response) -> dict[str, Any]:
    """Follow a successful picker answer back to the service and redeem the code;
    returns the token response."""
    callback = driver.callback(response)
    assert callback["state"] == driver.state, callback
    token = driver.redeem(callback["code"])
    assert token.status_code == 200, token.text
    body: dict[str, Any] = token.json()
    return body


def assert_refused(response: httpx.Response, status: int) -> Page:
    """The choice is refused with a page: no redirect, hence no code for the service."""
    page = assert_page(response, status)
    assert "code=" not in response.text
    return page
