"""Nobody can fill the database: /authorize is limited per address, one client's logins
started per minute are capped (from every address together), a pushed request keeps only
the parameters a login uses, and every stored parameter has a size bound."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from typing import Any

import httpx
import pytest

from tests.integration.security.support import count_rows
from tests.integration.security.test_rate_limits import assert_rate_limited_json, fresh_window
from tests.support.addresses import driver_from
from tests.support.oauth_checks import assert_error_redirect, assert_json_error
from tests.support.provider import RunningProvider, run_provider
from tests.support.tokens import sqlite_path

SERVICE_AT = "127.0.0.50"


@pytest.fixture
def limited(
    sqlite_url: str, make_settings: Callable[..., dict[str, Any]]
) -> Iterator[RunningProvider]:
    limits = {"authorize_requests_per_minute": 3, "logins_per_client_per_minute": 4}
    with run_provider(sqlite_url, make_settings(**limits)) as running:
        yield running


def authorize_from(address: str, provider: RunningProvider, client_id: str) -> httpx.Response:
    driver = driver_from(provider.base_url, address, SERVICE_AT, client_id=client_id)
    try:
        return driver.authorize(driver.params())
    finally:
        driver.close()


def test_authorize_is_limited_per_address(limited: RunningProvider) -> None:
    fresh_window()
    driver = driver_from(limited.base_url, "127.0.0.2", SERVICE_AT)
    try:
        started = [driver.authorize(driver.params()).status_code for _ in range(3)]
        refused = driver.browser.post("/authorize", data=driver.params())
    finally:
        driver.close()

    assert started == [303, 303, 303]
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("text/html")
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert count_rows(limited.settings.database_url, "interactions") == 3
    # another address has its own budget (another client: this one's cap of 4 is spent)
    assert authorize_from("127.0.0.3", limited, "second-service").status_code == 303


def test_logins_started_for_one_client_are_capped(limited: RunningProvider) -> None:
    """Four logins a minute for `confidential-service` (the test's cap), from five
    addresses each well within its own budget: the fifth is refused, and another client
    is not affected."""
    fresh_window()
    statuses = [
        authorize_from(f"127.0.0.{n}", limited, "confidential-service").status_code
        for n in range(10, 15)
    ]
    assert statuses == [303, 303, 303, 303, 429]
    assert authorize_from("127.0.0.15", limited, "second-service").status_code == 303


def test_pushed_requests_for_one_client_are_capped(limited: RunningProvider) -> None:
    """A public client's push needs no credentials; from five addresses, the fifth push in
    its name in a minute is refused and stores nothing."""
    fresh_window()
    pushes = []
    for n in range(20, 25):
        driver = driver_from(limited.base_url, SERVICE_AT, f"127.0.0.{n}", client_id="public-spa")
        try:
            pushes.append(driver.push(driver.params()))
        finally:
            driver.close()
    assert [each.status_code for each in pushes] == [201] * 4 + [429]
    assert_rate_limited_json(pushes[-1])
    assert count_rows(limited.settings.database_url, "pushed_requests") == 4


def stored_pushed_requests(provider: RunningProvider) -> list[str]:
    with closing(sqlite3.connect(sqlite_path(provider.settings.database_url))) as db:
        return [row[0] for row in db.execute("SELECT request FROM pushed_requests")]


def test_a_pushed_request_keeps_only_what_a_login_uses(
    make_driver: Callable[..., Any], sec_provider: RunningProvider
) -> None:
    driver = make_driver()
    before = len(stored_pushed_requests(sec_provider))
    pushed = driver.push(driver.params(login_hint="x" * 60_000, unknown="y" * 1000))
    assert pushed.status_code == 201, pushed.text

    stored = stored_pushed_requests(sec_provider)
    assert len(stored) == before + 1
    assert all("login_hint" not in each and "unknown" not in each for each in stored)
    assert max(len(each) for each in stored) < 2000, "unused parameters were stored"


OVERLONG = {
    "scope": "openid " + "profile " * 200,
    "acr_values": "idporten-loa-high " * 40,
    "ui_locales": "nb " * 50,
    "prompt": "login " * 30,
    "max_age": "1" * 30,
    "state": "s" * 513,
    "nonce": "n" * 513,
    "code_challenge": "c" * 44,
}


@pytest.mark.parametrize("name", sorted(OVERLONG))
def test_an_overlong_parameter_is_refused_and_nothing_is_stored(
    make_driver: Callable[..., Any], sec_provider: RunningProvider, name: str
) -> None:
    database = sec_provider.settings.database_url
    pushed_before = count_rows(database, "pushed_requests")
    logins_before = count_rows(database, "interactions")
    driver = make_driver()
    params = driver.params(**{name: OVERLONG[name]})

    assert_json_error(driver.push(params), "invalid_request")
    state = None if name == "state" else params["state"]  # an unusable state is not echoed
    assert_error_redirect(
        driver.authorize(params),
        driver.redirect_uri,
        "invalid_request",
        issuer=sec_provider.settings.issuer,
        state=state,
    )

    assert count_rows(database, "pushed_requests") == pushed_before
    assert count_rows(database, "interactions") == logins_before


def test_refused_requests_in_a_clients_name_do_not_spend_its_budget(
    limited: RunningProvider,
) -> None:
    """Only logins that started count against a service's budget: pushes with a wrong
    secret and /authorize requests that fail validation store nothing, so six of them in
    its name (over its cap of four) leave the service its logins."""
    fresh_window()
    for n in range(30, 36):
        guesser = driver_from(limited.base_url, f"127.0.0.{n}", f"127.0.0.{n}")
        try:
            wrong = guesser.service.post(
                "/par", data=guesser.params(), auth=("confidential-service", "wrong")
            )
            assert wrong.status_code == 401, wrong.text
            bad = guesser.authorize(guesser.params(code_challenge_method="plain"))
            assert bad.status_code == 303
            assert "error=invalid_request" in bad.headers["location"]
        finally:
            guesser.close()

    service = driver_from(limited.base_url, "127.0.0.40", "127.0.0.41")
    try:
        assert service.start().startswith(f"{limited.base_url}/login/")  # push and authorize
    finally:
        service.close()
