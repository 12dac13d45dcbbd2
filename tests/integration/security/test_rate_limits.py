"""Rate limits, counted in the database: login form posts per address, back-channel
requests per client; a refused request has no effect; two instances on one database
share one budget (against online guessing of credentials and flooding)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.integration.security.conftest import driver_factory
from tests.integration.security.support import PID, SecurityDriver, count_rows
from tests.support.addresses import client_from
from tests.support.login_driver import forms_of
from tests.support.oauth_checks import assert_json_error
from tests.support.provider import RunningProvider, run_provider

LIMITS = {"login_attempts_per_minute": 3, "token_requests_per_minute": 5}


def fresh_window(margin: float = 6.0) -> None:
    """Counting windows are whole minutes: start a test well inside one."""
    into = time.time() % 60
    if into > 60 - margin:
        time.sleep(60 - into + 0.05)


@pytest.fixture
def limited(sqlite_url, make_settings) -> Iterator[RunningProvider]:
    with run_provider(sqlite_url, {**make_settings(), **LIMITS}) as running:
        yield running


@pytest.fixture
def make(limited, client_keys) -> Iterator[object]:
    factory, made = driver_factory(limited, client_keys)
    yield factory
    for driver in made:
        driver.close()


def bad_token_request(driver: SecurityDriver) -> httpx.Response:
    return driver.redeem("not-a-code")


def assert_rate_limited_json(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == "invalid_request"
    assert 1 <= int(response.headers["retry-after"]) <= 60


def post_login(driver: SecurityDriver, login_url: str, pid: str) -> httpx.Response:
    page = driver.browser.get(login_url)
    form = next(f for f in forms_of(page.text) if f.action.endswith("/testid"))
    return driver.browser.post(
        form.action, data={**form.fields, "pid": pid, "acr": "idporten-loa-substantial"}
    )


def test_the_fourth_login_post_in_a_minute_is_refused(make, limited):
    driver = make()
    fresh_window()
    login_url = driver.start()
    for _ in range(3):
        wrong = post_login(driver, login_url, "45840375085")  # bad check digits
        assert wrong.status_code == 400, wrong.text[:300]  # the form again, with why

    fourth = post_login(driver, login_url, PID)

    assert fourth.status_code == 429
    assert fourth.headers["content-type"].startswith("text/html")
    assert 1 <= int(fourth.headers["retry-after"]) <= 60
    assert "location" not in fourth.headers
    assert count_rows(limited.settings.database_url, "authorization_codes") == 0


def test_the_sixth_token_request_in_a_minute_is_refused_without_effect(make, limited):
    driver = make()
    fresh_window(margin=10)
    code = driver.login_for_code(PID)  # the PAR push is the first counted request
    for _ in range(4):
        assert_json_error(bad_token_request(driver), "invalid_grant")

    refused = driver.redeem(code)

    assert_rate_limited_json(refused)
    assert "access_token" not in refused.text
    unconsumed = count_rows(limited.settings.database_url, "authorization_codes")
    assert unconsumed == 1


def test_one_clients_limit_does_not_stop_another(make):
    fresh_window()
    noisy, quiet = make("confidential-service"), make("second-service")
    for _ in range(5):
        bad_token_request(noisy)
    assert_rate_limited_json(bad_token_request(noisy))

    assert_json_error(bad_token_request(quiet), "invalid_grant")


def test_requests_in_a_clients_name_from_elsewhere_do_not_use_up_its_limit(make):
    """A client_id is public, and the limit is counted before the secret is checked:
    counted per client alone, anyone could lock a service out of /token by sending
    requests with its client_id and a wrong secret. Counted per client and address, the
    sender locks out only itself. (The two connect from different loopback addresses.)"""
    fresh_window()
    attacker, service = make("confidential-service"), make("confidential-service")
    for driver, address in ((attacker, "127.0.0.66"), (service, "127.0.0.10")):
        driver.service.close()
        driver.service = client_from(address, driver.base_url)

    def guess() -> httpx.Response:
        return attacker.service.post(
            "/token",
            data={"grant_type": "authorization_code", "code": "x", "redirect_uri": "x"},
            auth=("confidential-service", "a-wrong-secret"),
        )

    for _ in range(5):
        assert_json_error(guess(), "invalid_client", status=401)
    assert_rate_limited_json(guess())

    assert_json_error(bad_token_request(service), "invalid_grant")


def test_the_limit_is_shared_by_two_instances_on_one_database(
    any_database_url, make_settings, client_keys
):
    settings = {**make_settings(), **LIMITS}
    with (
        run_provider(any_database_url, settings) as first,
        run_provider(any_database_url, settings) as second,
    ):
        make_first, made_first = driver_factory(first, client_keys)
        make_second, made_second = driver_factory(second, client_keys)
        one, two = make_first(), make_second()
        try:
            fresh_window()
            for driver in (one, two, one, two, one):
                assert_json_error(bad_token_request(driver), "invalid_grant")

            assert_rate_limited_json(bad_token_request(two))
            assert_rate_limited_json(bad_token_request(one))
        finally:
            for driver in made_first + made_second:
                driver.close()


def test_unlimited_when_rate_limit_is_off(sqlite_url, make_settings, client_keys):
    """Control: the refusals above come from the limiter, not from the requests."""
    with run_provider(sqlite_url, {**make_settings(), **LIMITS, "rate_limit": False}) as p:
        make_one, made = driver_factory(p, client_keys)
        driver = make_one()
        try:
            for _ in range(8):
                assert_json_error(bad_token_request(driver), "invalid_grant")
        finally:
            for each in made:
                each.close()
