"""Everything short-lived expires: a pushed request_uri, a login transaction, an
authorization code and an access token. One provider with short lifetimes; everything
is prepared first, then the test waits once, then each item is tried."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.support.login_driver import Form, LoginDriver, forms_of
from tests.support.oauth_checks import assert_error_page, assert_json_error, sqlite_url_in
from tests.support.provider import RunningProvider, run_provider

LIFETIME = 2
"""Seconds for request_uri, login and code; short enough to wait for, long enough that
the requests before the wait complete within it on a busy machine."""

SHORT = {
    "par_lifetime": LIFETIME,
    "login_lifetime": LIFETIME,
    "code_lifetime": LIFETIME,
    "access_token_lifetime": 1,
    "rate_limit": False,
}


@dataclass
class Aged:
    """Items made before the wait, and the driver (browser and service) that made them."""

    driver: LoginDriver
    request_uri: str
    login_url: str
    login_form: Form
    code: str
    access_token: str


@pytest.fixture(scope="module")
def short_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProvider]:
    with run_provider(sqlite_url_in(tmp_path_factory), SHORT) as running:
        yield running


@pytest.fixture(scope="module")
def aged(short_provider: RunningProvider, testid_people: dict[str, str]) -> Iterator[Aged]:
    pid = testid_people["plain_employee"]
    driver = LoginDriver(short_provider.base_url)
    try:
        # each kind of item works while it is fresh ...
        tokens = driver.redeem(driver.login_for_code(pid))
        assert tokens.status_code == 200, tokens.text
        assert tokens.json()["expires_in"] == 1
        access_token = tokens.json()["access_token"]
        info = driver.service.get("/userinfo", headers={"Authorization": f"Bearer {access_token}"})
        assert info.status_code == 200
        pushed = driver.push(driver.params())
        assert pushed.json()["expires_in"] == LIFETIME
        # ... and these are kept to be tried after the wait
        code = driver.login_for_code(pid)
        login_url = driver.start()
        page = driver.browser.get(login_url)
        form = next(f for f in forms_of(page.text) if f.action.endswith("/testid"))
        time.sleep(LIFETIME + 0.3)  # exp is whole seconds: the 1 s token is past it too
        yield Aged(driver, pushed.json()["request_uri"], login_url, form, code, access_token)
    finally:
        driver.close()


def test_request_uri_expires(aged: Aged) -> None:
    driver = aged.driver
    assert_error_page(
        driver.authorize({"client_id": driver.client_id, "request_uri": aged.request_uri})
    )


def test_login_transaction_expires(aged: Aged, testid_people: dict[str, str]) -> None:
    browser = aged.driver.browser
    page = browser.get(aged.login_url)
    assert_error_page(page, 400)
    posted = browser.post(
        aged.login_form.action,
        data={
            **aged.login_form.fields,
            "pid": testid_people["plain_employee"],
            "acr": "idporten-loa-substantial",
        },
    )
    assert_error_page(posted, 400)
    assert_error_page(browser.post(aged.login_url + "/cancel", data=aged.login_form.fields))


def test_code_expires(aged: Aged) -> None:
    assert_json_error(aged.driver.redeem(aged.code), "invalid_grant")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_access_token_expires(aged: Aged, method: str) -> None:
    response = aged.driver.service.request(
        method, "/userinfo", headers={"Authorization": f"Bearer {aged.access_token}"}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    introspected = aged.driver.service.post(
        "/token/introspect",
        data={"token": aged.access_token},
        auth=("confidential-service", "confidential-secret-0123456789"),
    )
    assert introspected.json() == {"active": False}
