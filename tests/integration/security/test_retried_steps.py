"""Every step of a login retried after it took effect (its answer lost: an instance
stopped mid-response, a connection dropped, a reload) gives the browser the answer it
would have got the first time - never a 400 blaming the service, never "already
finished" while the code is still good. Only ever for the browser that started the
login; anyone else is sent back to the service, which learns the request was used.

Each retry is the same request sent again after the first was answered: for the
provider that is exactly a request whose answer never arrived."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from html import unescape

import pytest

from tests.integration.security.conftest import driver_factory
from tests.integration.security.support import PID, http_client
from tests.support import altinn_oracle as oracle
from tests.support.login_driver import forms_of, query_of
from tests.support.oauth_checks import sqlite_url_in
from tests.support.pages import assert_page
from tests.support.provider import run_provider
from tests.support.representation import post_choice, redeem_details, to_picker

REPRESENTED = "23865938772"  # tests/fixtures/altinn_people.json main_with_subunits
NO_PARTIES = "09868841440"  # no_parties: the picker finishes the login at once
DETAIL = oracle.resource_detail("app_ttd_apps-test")


def pushed_authorize(driver) -> dict[str, str]:
    pushed = driver.push(driver.params())
    assert pushed.status_code == 201, pushed.text
    return {"client_id": driver.client_id, "request_uri": pushed.json()["request_uri"]}


def test_authorize_retried_in_the_same_browser_resumes_its_login(make_driver):
    driver = make_driver()
    params = pushed_authorize(driver)
    first = driver.authorize(params)
    assert first.status_code == 303, first.text

    again = driver.authorize(params)

    assert again.status_code == 303, again.text
    assert again.headers["location"] == first.headers["location"]
    code = driver.callback(driver.login(again.headers["location"], PID))["code"]
    assert driver.redeem(code).status_code == 200


def test_authorize_retried_after_the_login_finished_sends_the_same_code(make_driver):
    driver = make_driver()
    params = pushed_authorize(driver)
    login_url = driver.authorize(params).headers["location"]
    code = driver.callback(driver.login(login_url, PID))["code"]

    again = driver.callback(driver.authorize(params))

    assert again["code"] == code
    assert again["state"] == driver.state
    assert driver.redeem(code).status_code == 200


def test_authorize_retried_by_another_browser_goes_back_to_the_service(make_driver, sec_provider):
    """A browser without the login's cookie (the cookie of the first answer never
    arrived, or someone else holds the address): back to the service, which can start a
    new login; no second login from one pushed request, no 400 blaming the service."""
    driver = make_driver()
    params = pushed_authorize(driver)
    assert driver.authorize(params).status_code == 303

    with http_client(sec_provider.base_url) as other_browser:
        elsewhere = other_browser.get("/authorize", params=params)

    assert elsewhere.status_code == 303, elsewhere.text
    location = elsewhere.headers["location"]
    assert location.startswith(driver.redirect_uri), location
    answer = query_of(location)
    assert answer["error"] == "invalid_request"
    assert "already used" in answer["error_description"]
    assert answer["state"] == driver.state
    assert answer["iss"] == sec_provider.settings.issuer
    assert "code" not in answer


def test_a_retried_login_post_is_sent_to_the_picker_again(make_rar_driver):
    driver = make_rar_driver()
    login_url = driver.start([DETAIL])
    page = driver.browser.get(login_url)
    form = next(f for f in forms_of(page.text) if f.action.endswith("/testid"))
    data = {**form.fields, "pid": REPRESENTED, "acr": "idporten-loa-substantial"}
    first = driver.browser.post(form.action, data=data)
    assert first.status_code == 303, first.text
    assert "/organisation/" in first.headers["location"]

    again = driver.browser.post(form.action, data=data)

    assert again.status_code == 303, again.text
    assert again.headers["location"] == first.headers["location"]
    assert driver.browser.get(login_url).headers["location"] == first.headers["location"]


def test_a_retried_choice_is_sent_back_with_the_same_code(make_rar_driver):
    driver = make_rar_driver()
    picker = to_picker(driver, [DETAIL], REPRESENTED)
    page = assert_page(driver.browser.get(picker), 200)
    csrf = next(a["value"] for a in page.inputs if a.get("name") == "csrf_token")
    first = post_choice(driver, picker, [page.parties[0]], csrf=csrf)
    code = driver.callback(first)["code"]

    again = post_choice(driver, picker, [page.parties[0]], csrf=csrf)
    reopened = driver.browser.get(picker)

    assert driver.callback(again)["code"] == code
    assert driver.callback(reopened)["code"] == code
    assert redeem_details(driver, again)["authorization_details"]


def test_a_retried_choice_post_with_form_post_gets_the_same_form(make_rar_driver):
    driver = make_rar_driver()
    picker = to_picker(driver, [DETAIL], REPRESENTED, response_mode="form_post")
    page = assert_page(driver.browser.get(picker), 200)
    csrf = next(a["value"] for a in page.inputs if a.get("name") == "csrf_token")
    first = post_choice(driver, picker, [page.parties[0]], csrf=csrf)
    assert first.status_code == 200, first.text

    again = post_choice(driver, picker, [page.parties[0]], csrf=csrf)

    assert again.status_code == 200, again.text
    assert posted_code(again) == posted_code(first)
    assert driver.redeem(posted_code(first)).status_code == 200


def posted_code(response) -> str:
    match = re.search(r'name="code" value="([^"]+)"', response.text)
    assert match, response.text[:500]
    return unescape(match.group(1))


def test_a_picker_that_finished_the_login_answers_the_same_when_opened_again(make_rar_driver):
    """Nobody to represent: opening the picker ends the login at once (a GET that takes
    effect); opened again, it answers the same."""
    driver = make_rar_driver()
    picker = to_picker(driver, [DETAIL], NO_PARTIES)
    code = driver.callback(driver.browser.get(picker))["code"]

    assert driver.callback(driver.browser.get(picker))["code"] == code


def test_a_retry_from_another_browser_gets_nothing(make_rar_driver, rar_provider):
    driver = make_rar_driver()
    picker = to_picker(driver, [DETAIL], REPRESENTED)
    page = assert_page(driver.browser.get(picker), 200)
    csrf = next(a["value"] for a in page.inputs if a.get("name") == "csrf_token")
    assert driver.callback(post_choice(driver, picker, [page.parties[0]], csrf=csrf))["code"]

    with http_client(rar_provider.base_url) as stranger:
        stolen = stranger.get(picker)
        posted = stranger.post(picker, data={"csrf_token": csrf, "party": page.parties[0]})

    assert_page(stolen, 403)
    assert_page(posted, 403)
    assert "code=" not in stolen.headers.get("location", "")


@pytest.fixture(scope="module")
def short_code_provider(tmp_path_factory, make_settings):
    url = sqlite_url_in(tmp_path_factory, "short-codes")
    with run_provider(url, make_settings(code_lifetime=1)) as running:
        yield running


@pytest.fixture
def short_code_driver(short_code_provider, client_keys) -> Iterator:
    make, made = driver_factory(short_code_provider, client_keys)
    yield make()
    for driver in made:
        driver.close()


def test_a_retry_after_the_code_expired_says_the_login_is_over(short_code_driver):
    driver = short_code_driver
    login_url = driver.start()
    page = driver.browser.get(login_url)
    form = next(f for f in forms_of(page.text) if f.action.endswith("/testid"))
    data = {**form.fields, "pid": PID, "acr": "idporten-loa-substantial"}
    assert driver.callback(driver.browser.post(form.action, data=data))["code"]
    time.sleep(1.2)

    late = driver.browser.post(form.action, data=data, headers={"Accept-Language": "nn"})

    assert_page(late, 409)
    assert "code=" not in late.headers.get("location", "")
