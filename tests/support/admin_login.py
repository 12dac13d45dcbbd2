"""An administrator logging in to the employer-rules admin pages through a real
provider, with an httpx client as the browser (one cookie jar for both servers)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlencode, urlsplit

import httpx

from authz_sources.altinn.mock import create_mock_app
from tests.support.employer_rules import (
    FIXTURES,
    RunningRules,
    admin_client_registration,
    run_employer_rules,
)
from tests.support.login_driver import forms_of
from tests.support.provider import run_provider
from tests.support.servers import free_socket, serve_in_thread


@dataclass
class AdminStack:
    provider: str
    rules: RunningRules


@contextlib.contextmanager
def admin_stack(
    provider_database: str,
    rules_database: str,
    client_changes: dict[str, object] | None = None,
    **rules_overrides: object,
) -> Iterator[AdminStack]:
    """Mock Altinn (tests/fixtures/employer_rules/altinn_admins.json), a provider with
    the Altinn source and the admin application registered (with `client_changes` to
    its registration), and the service."""
    rules_socket = free_socket()
    rules_url = f"http://127.0.0.1:{rules_socket.getsockname()[1]}"
    with serve_in_thread(create_mock_app(FIXTURES / "altinn_admins.json")) as altinn:
        overrides = {
            "sources": {"altinn": {"base_url": altinn}},
            "clients": [{**admin_client_registration(rules_url), **(client_changes or {})}],
            "rate_limit": False,
        }
        with (
            run_provider(provider_database, overrides) as provider,
            run_employer_rules(
                rules_database, provider.base_url, dict(rules_overrides), rules_socket
            ) as rules,
        ):
            yield AdminStack(provider.base_url, rules)


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return unescape(found.group(1))


def log_in(
    browser: httpx.Client, rules_url: str, pid: str, parties: list[str] | None = None
) -> httpx.Response:
    """From the admin application's /login to its answer to the callback. `parties`:
    the organisations to tick in the provider's picker (default: every one offered)."""
    to_provider = browser.get(f"{rules_url}/login")
    assert to_provider.status_code == 303, to_provider.text
    authorize = browser.get(to_provider.headers["location"])
    assert authorize.status_code == 303, authorize.text
    login_url = _absolute(authorize)
    page = browser.get(login_url)
    if 'name="eid"' in page.text:  # the eID selector (a provider with several eIDs)
        selector = next(f for f in forms_of(page.text) if f.action.endswith("/eid"))
        chosen = browser.post(
            _join(login_url, selector.action), data={**selector.fields, "eid": "testid"}
        )
        assert chosen.status_code == 303, chosen.text
        login_url = _absolute(chosen)
        page = browser.get(login_url)
    form = next(f for f in forms_of(page.text) if f.action.endswith("/testid"))
    after_login = browser.post(
        _join(login_url, form.action),
        data={**form.fields, "pid": pid, "acr": "idporten-loa-substantial"},
    )
    assert after_login.status_code == 303, after_login.text
    location = _absolute(after_login)
    if "/organisation/" in urlsplit(location).path:
        picker = browser.get(location)
        if picker.status_code == 403:  # nobody to represent: the page's way back
            location = _way_back(browser, location, picker.text, f"{rules_url}/callback")
            return browser.get(location)
        form = next(f for f in forms_of(picker.text) if "/organisation/" in f.action)
        offered = re.findall(r'name="party"[^>]*value="(\d{9})"', picker.text)
        chosen = offered if parties is None else parties
        pairs = [*form.fields.items(), *(("party", orgno) for orgno in chosen), ("choose", "1")]
        chose = browser.post(
            _join(location, form.action),
            content=urlencode(pairs),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert chose.status_code == 303, chose.text
        location = _absolute(chose)
    assert location.startswith(f"{rules_url}/callback"), location
    return browser.get(location)


def _way_back(browser: httpx.Client, page_url: str, html: str, callback: str) -> str:
    """The one link of the page that sends the browser back to the callback."""
    found = []
    for href in re.findall(r'href="([^"#]+)"', html):
        answer = browser.get(_join(page_url, unescape(href)))
        if answer.status_code == 303 and answer.headers["location"].startswith(callback):
            found.append(answer.headers["location"])
    assert len(found) == 1, found
    return found[0]


def _absolute(response: httpx.Response) -> str:
    return str(response.url.join(response.headers["location"]))


def _join(page: str, action: str) -> str:
    return str(httpx.URL(page).join(action))
