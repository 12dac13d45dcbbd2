"""A login transaction is bound to the browser that started it and to its CSRF token;
TestID accepts only valid synthetic numbers at a level the client allows; cancelling
sends `access_denied` back to the client. (Expiry: test_expiry.py.)"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.integration.core.conftest import MakeDriver
from tests.support.login_driver import TLS, Form, LoginDriver, forms_of
from tests.support.oauth_checks import (
    assert_error_redirect,
    form_post_params,
    redirect_params,
)
from tests.support.provider import RunningProvider


@pytest.fixture
def pid(testid_people: dict[str, str]) -> str:
    return testid_people["plain_employee"]


def eid_form(driver: LoginDriver, login_url: str) -> Form:
    page = driver.browser.get(login_url)
    assert page.status_code == 200, page.text
    return next(form for form in forms_of(page.text) if form.action.endswith("/testid"))


def cancel_form(driver: LoginDriver, login_url: str) -> Form:
    page = driver.browser.get(login_url)
    assert page.status_code == 200, page.text
    return next(form for form in forms_of(page.text) if form.action.endswith("/cancel"))


def assert_no_code(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert "location" not in response.headers
    assert 'name="code"' not in response.text


def assert_code(driver: LoginDriver, response: httpx.Response) -> str:
    params = redirect_params(response, driver.redirect_uri)
    assert params["state"] == driver.state
    return params["code"]


@pytest.fixture
def stranger(shared_provider: RunningProvider) -> Iterator[httpx.Client]:
    """Someone else's browser: no cookie of the victim's."""
    with httpx.Client(base_url=shared_provider.base_url, verify=TLS) as client:
        yield client


# --- bound to the browser ---------------------------------------------------------------


def test_login_page_in_another_browser_is_refused(
    make_driver: MakeDriver, stranger: httpx.Client, pid: str
) -> None:
    driver = make_driver()
    login_url = driver.start()
    form = eid_form(driver, login_url)  # the victim's page, with its csrf token

    assert_no_code(stranger.get(login_url), 403)
    # even with the victim's csrf token, another browser cannot complete the login
    posted = stranger.post(
        form.action, data={**form.fields, "pid": pid, "acr": "idporten-loa-substantial"}
    )
    assert_no_code(posted, 403)
    cancelled = stranger.post(login_url + "/cancel", data=form.fields)
    assert_no_code(cancelled, 403)
    # a made-up browser cookie does not help either
    stranger.cookies.set("ap_browser", "x" * 43)
    assert_no_code(stranger.get(login_url), 403)

    # the rightful browser still completes its login
    assert driver.redeem(assert_code(driver, driver.login(login_url, pid))).status_code == 200


def test_the_browser_cookie_is_http_only(make_driver: MakeDriver) -> None:
    driver = make_driver()
    response = driver.authorize(driver.params())
    cookie = response.headers["set-cookie"].lower()
    assert "ap_browser=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


@pytest.mark.parametrize("csrf", [None, "", "wrong-token", "another-transaction"])
def test_login_post_needs_the_transactions_csrf_token(
    make_driver: MakeDriver, pid: str, csrf: str | None
) -> None:
    driver = make_driver()
    login_url = driver.start()
    form = eid_form(driver, login_url)
    fields = {k: v for k, v in form.fields.items() if k != "csrf_token"}
    if csrf == "another-transaction":
        other = eid_form(driver, driver.start())  # a second login in the same browser
        assert other.fields["csrf_token"] != form.fields["csrf_token"]
        fields["csrf_token"] = other.fields["csrf_token"]
    elif csrf is not None:
        fields["csrf_token"] = csrf
    refused = driver.browser.post(
        form.action, data={**fields, "pid": pid, "acr": "idporten-loa-substantial"}
    )
    assert_no_code(refused, 403)
    # the transaction is still usable by its rightful browser with the right token
    assert driver.redeem(assert_code(driver, driver.login(login_url, pid))).status_code == 200


def test_cancel_needs_the_csrf_token(make_driver: MakeDriver, pid: str) -> None:
    driver = make_driver()
    login_url = driver.start()
    assert_no_code(driver.browser.post(login_url + "/cancel", data={"x": "1"}), 403)
    assert_no_code(driver.browser.post(login_url + "/cancel", data={"csrf_token": "x"}), 403)
    assert_code(driver, driver.login(login_url, pid))


def test_unknown_transaction_is_not_found(make_driver: MakeDriver) -> None:
    driver = make_driver()
    driver.start()  # the browser has a cookie
    assert_no_code(driver.browser.get("/login/" + "A" * 43), 404)


def test_a_finished_transaction_issues_no_second_code(make_driver: MakeDriver, pid: str) -> None:
    """Posted again (its answer lost) or its address opened again, a finished login
    answers with the same code, once redeemable."""
    driver = make_driver()
    login_url = driver.start()
    form = eid_form(driver, login_url)
    data = {**form.fields, "pid": pid, "acr": "idporten-loa-substantial"}
    code = assert_code(driver, driver.browser.post(form.action, data=data))
    assert assert_code(driver, driver.browser.post(form.action, data=data)) == code
    assert assert_code(driver, driver.browser.get(login_url)) == code
    assert driver.redeem(code).status_code == 200


# --- TestID input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "person", ["bad_check_digits", "not_synthetic", "", "1234567890", "abcdefghijk", "458403750841"]
)
def test_invalid_pid_shows_the_form_again(
    make_driver: MakeDriver, testid_people: dict[str, str], pid: str, person: str
) -> None:
    driver = make_driver()
    login_url = driver.start()
    entered = testid_people.get(person, person)
    response = driver.login(login_url, entered)
    assert_no_code(response, 400)
    assert 'aria-invalid="true"' in response.text
    assert any(form.action.endswith("/testid") for form in forms_of(response.text))
    # a mistake does not end the login
    assert_code(driver, driver.login(login_url, pid))


def test_not_synthetic_has_its_own_message(
    make_driver: MakeDriver, testid_people: dict[str, str]
) -> None:
    driver = make_driver()
    login_url = driver.start()
    bad_digits = driver.login(login_url, testid_people["bad_check_digits"]).text
    not_synthetic = driver.login(login_url, testid_people["not_synthetic"]).text
    assert bad_digits != not_synthetic


@pytest.mark.parametrize(
    "posted", ["idporten-loa-substantial", "substantial", "high", "", "entraid"]
)
def test_acr_outside_acr_values_is_refused(make_driver: MakeDriver, pid: str, posted: str) -> None:
    driver = make_driver()
    login_url = driver.start(acr_values="idporten-loa-high")
    assert_no_code(driver.login(login_url, pid, acr=posted), 400)
    code = assert_code(driver, driver.login(login_url, pid, acr="idporten-loa-high"))
    assert driver.redeem(code).status_code == 200


# --- cancel -------------------------------------------------------------------------------


@pytest.mark.parametrize("via_par", [True, False])
def test_cancel_returns_access_denied(
    make_driver: MakeDriver, shared_provider: RunningProvider, pid: str, via_par: bool
) -> None:
    driver = make_driver()
    login_url = driver.start(via_par=via_par)
    form = cancel_form(driver, login_url)
    response = driver.browser.post(form.action, data=form.fields)
    assert_error_redirect(
        response,
        driver.redirect_uri,
        "access_denied",
        issuer=shared_provider.settings.issuer,
        state=driver.state,
    )
    # a cancelled login cannot be completed afterwards
    completed = driver.browser.post(
        login_url + "/testid",
        data={**form.fields, "pid": pid, "acr": "idporten-loa-substantial"},
    )
    assert_no_code(completed, 409)


def test_cancel_with_form_post(make_driver: MakeDriver, shared_provider: RunningProvider) -> None:
    driver = make_driver()
    login_url = driver.start(response_mode="form_post")
    form = cancel_form(driver, login_url)
    fields = form_post_params(
        driver.browser.post(form.action, data=form.fields), driver.redirect_uri
    )
    assert fields["error"] == "access_denied"
    assert fields["state"] == driver.state
    assert fields["iss"] == shared_provider.settings.issuer
