"""A single-page app logs in with oidc-client-ts (npm) in headless Chromium, web security
on: a public client with PKCE, from an origin of its own, reads discovery and the JWKS,
redeems the code at /token and reads userinfo - every one a cross-origin call the
browser lets through only because the provider answers CORS for the app's registered
origin - and logs out. Once with bearer tokens, once with DPoP-bound ones."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Response

from tests.support.chromium import FLAGS
from tests.support.oauth_checks import sqlite_url_in
from tests.support.provider import run_provider
from tests.support.servers import free_socket
from tests.support.spa import serve_spa

pytestmark = pytest.mark.browser

PID = "45840375084"
CLIENT_ID = "spa-app"
API_SECRET = "api-secret-0123456789"
"""An API's client, which introspects the app's tokens."""


@dataclass
class SpaStack:
    provider: str
    spa: str
    dpop: bool


@pytest.fixture(scope="module", params=[False, True], ids=["bearer", "dpop"])
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SpaStack]:
    sock = free_socket()
    spa_origin = f"http://localhost:{sock.getsockname()[1]}"
    client = {
        "client_id": CLIENT_ID,
        "client_name": "Nettleserappen",
        "token_endpoint_auth_method": "none",
        "redirect_uris": [f"{spa_origin}/callback.html"],
        "post_logout_redirect_uris": [f"{spa_origin}/"],
        "grant_types": ["authorization_code", "refresh_token"],
    }
    api = {"client_id": "api", "client_secret": API_SECRET, "redirect_uris": ["http://api.test/"]}
    overrides = {"clients": [client, api], "rate_limit": False}
    with contextlib.ExitStack() as running:
        provider = running.enter_context(
            run_provider(sqlite_url_in(tmp_path_factory, "spa"), overrides)
        )
        config = {"authority": provider.settings.issuer, "client_id": CLIENT_ID}
        spa = running.enter_context(serve_spa(sock, {**config, "dpop": request.param}))
        yield SpaStack(provider.base_url, spa, request.param)


@dataclass
class Traffic:
    """What the page fetched from the provider, as the browser saw it."""

    provider: str
    calls: list[tuple[str, str, int, str | None]] = field(default_factory=list)

    def record(self, response: Response) -> None:
        if response.url.startswith(self.provider) and response.request.resource_type == "fetch":
            path = response.url[len(self.provider) :].split("?", 1)[0]
            origin = response.headers.get("access-control-allow-origin")
            self.calls.append((response.request.method, path, response.status, origin))

    def to(self, path: str) -> list[tuple[str, int, str | None]]:
        return [(method, status, origin) for method, p, status, origin in self.calls if p == path]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    yield page
    context.close()


def status_of(page: Page, *expected: str) -> str:
    page.wait_for_function(
        "states => states.includes(document.getElementById('status').textContent)",
        arg=[*expected, "error"],
        timeout=20_000,
    )
    status = page.locator("#status").inner_text()
    assert status in expected, page.locator("#error").inner_text()
    return status


def log_in(page: Page, stack: SpaStack) -> dict[str, Any]:
    page.goto(f"{stack.spa}/")
    status_of(page, "ready")
    page.locator("#login").click()
    page.wait_for_url(f"{stack.provider}/login/**")
    page.fill("input[name=pid]", PID)
    page.locator("input[name=acr][value='idporten-loa-substantial']").check()
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{stack.spa}/callback.html**")
    status_of(page, "logged-in")
    result: dict[str, Any] = json.loads(page.locator("#result").inner_text())
    return result


def test_the_app_logs_in_reads_userinfo_and_logs_out(page: Page, stack: SpaStack) -> None:
    assert not any("web-security" in flag for flag in FLAGS)
    traffic = Traffic(stack.provider)
    page.on("response", traffic.record)

    result = log_in(page, stack)

    assert result["token_type"].lower() == ("dpop" if stack.dpop else "bearer")
    profile = result["profile"]
    assert profile["pid"] == PID
    assert profile["locale"] == "nb"
    assert len(profile["sub"]) == 43
    if stack.dpop:
        userinfo = json.loads(page.locator("#userinfo").inner_text())
        assert userinfo["sub"] == profile["sub"]
        assert userinfo["pid"] == PID
    for path, method in [
        ("/.well-known/openid-configuration", "GET"),
        ("/token", "POST"),
        ("/userinfo", "GET"),
    ]:
        assert (method, 200, stack.spa) in traffic.to(path), (path, traffic.calls)

    assert introspected(stack, result["access_token"])["active"] is True

    page.locator("#logout").click()
    page.wait_for_url(lambda url: url.startswith(f"{stack.spa}/?state="))
    status_of(page, "logged-out")
    assert introspected(stack, result["access_token"]) == {"active": False}


def introspected(stack: SpaStack, token: str) -> dict[str, Any]:
    answer = httpx.post(
        f"{stack.provider}/token/introspect", data={"token": token}, auth=("api", API_SECRET)
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_a_page_of_another_origin_cannot_read_the_provider(page: Page, stack: SpaStack) -> None:
    """Web security is on and CORS is exact: the same app served from an origin nobody
    registered (127.0.0.1 instead of localhost, same port) is refused by the browser."""
    stranger = stack.spa.replace("localhost", "127.0.0.1")
    page.goto(f"{stranger}/")

    outcome = page.evaluate(
        """async (url) => {
            try { await fetch(url); return 'read'; } catch (error) { return error.name; }
        }""",
        f"{stack.provider}/.well-known/openid-configuration",
    )

    assert outcome == "TypeError"
