"""Isolated sessions over real HTTP: the same service logs the person in again without
the eID (through the picker, whose register is asked again), every other service and
every request that asks for it (`prompt=login`, `max_age`, a higher acr) authenticates,
and `prompt=none` succeeds only with a session."""

from __future__ import annotations

import json

import pytest

from tests.integration.sessions.conftest import PID, CountingRegister, MakeDriver, main_unit_orgno
from tests.integration.sessions.session_steps import (
    DETAILS,
    authenticate,
    id_token_of,
    picker_of,
    where,
)
from tests.support.login_driver import LoginDriver, query_of
from tests.support.provider import RunningProvider
from tests.support.tokens import rows


@pytest.fixture
def logged_in(make_driver: MakeDriver) -> tuple[LoginDriver, dict[str, object]]:
    """A browser that logged in to `confidential-service` for the main unit."""
    driver = make_driver()
    return driver, authenticate(driver, PID, main_unit_orgno())


def test_same_service_shows_the_picker_again_and_asks_the_register_again(
    logged_in: tuple[LoginDriver, dict[str, object]],
    register: tuple[CountingRegister, str],
    session_provider: RunningProvider,
) -> None:
    driver, first = logged_in
    asked = register[0].requests
    picker = picker_of(driver.begin(DETAILS))  # no eID on the way
    assert register[0].requests == asked  # the picker's page asks, not /authorize
    page = driver.browser.get(picker)
    assert page.status_code == 200, page.text
    assert main_unit_orgno() in page.text
    assert register[0].requests > asked  # asked again, not the first login's answer
    again = id_token_of(driver, driver.choose(picker, parties=[main_unit_orgno()]))
    assert again["sub"] == first["sub"]
    assert again["auth_time"] == first["auth_time"]  # the same authentication
    assert again["acr"] == first["acr"]
    audited = rows(
        session_provider.settings.database_url,
        "SELECT sid FROM audit_records ORDER BY id DESC LIMIT 2",
    )
    assert audited[0]["sid"]
    assert audited[0]["sid"] == audited[1]["sid"]  # both logins audited in one session


def test_silent_login_sees_a_right_withdrawn_since(
    logged_in: tuple[LoginDriver, dict[str, object]], register: tuple[CountingRegister, str]
) -> None:
    driver, _ = logged_in
    register[0].current = "after"  # the person lost the role in the main unit
    try:
        response = driver.begin(DETAILS)
        assert where(response) == "picker"
        page = driver.browser.get(response.headers["location"])
        if page.status_code == 200:
            assert main_unit_orgno() not in page.text
        else:  # nothing left to offer: back to the service, acting as themself
            tokens = driver.redeem(driver.callback(page)["code"])
            assert tokens.status_code == 200, tokens.text
            assert main_unit_orgno() not in json.dumps(tokens.json()["authorization_details"])
    finally:
        register[0].current = "before"


def test_another_service_must_authenticate(
    logged_in: tuple[LoginDriver, dict[str, object]], make_driver: MakeDriver
) -> None:
    driver, _ = logged_in
    second = make_driver("second-service", browser=driver)
    assert where(second.begin()) == "eid"
    assert where(second.begin(DETAILS)) == "eid"


def test_prompt_none_with_a_session_goes_straight_back_with_a_code(
    logged_in: tuple[LoginDriver, dict[str, object]],
) -> None:
    driver, first = logged_in
    claims = id_token_of(driver, driver.begin(prompt="none"))
    assert claims["sub"] == first["sub"]
    assert claims["auth_time"] == first["auth_time"]


def test_prompt_none_without_a_session_is_login_required(make_driver: MakeDriver) -> None:
    driver = make_driver()
    response = driver.begin(prompt="none")
    assert where(response) == "service"
    callback = query_of(response.headers["location"])
    assert callback["error"] == "login_required"
    assert callback["state"] == driver.state


def test_prompt_none_with_representation_is_interaction_required(
    logged_in: tuple[LoginDriver, dict[str, object]],
) -> None:
    """The picker is a page: `prompt=none` cannot show it (the session is not the
    problem, so not `login_required`)."""
    driver, _ = logged_in
    response = driver.begin(DETAILS, prompt="none")
    assert where(response) == "service"
    assert query_of(response.headers["location"])["error"] == "interaction_required"


def test_prompt_login_authenticates(logged_in: tuple[LoginDriver, dict[str, object]]) -> None:
    driver, _ = logged_in
    assert where(driver.begin(prompt="login")) == "eid"
    assert where(driver.begin(DETAILS, prompt="login")) == "eid"


def test_max_age(logged_in: tuple[LoginDriver, dict[str, object]]) -> None:
    driver, _ = logged_in
    assert where(driver.begin(max_age="0")) == "eid"
    assert where(driver.begin(max_age="3600")) == "service"


def test_a_higher_acr_than_the_session_authenticates(make_driver: MakeDriver) -> None:
    driver = make_driver()
    authenticate(driver, PID, acr="idporten-loa-substantial")
    assert where(driver.begin(acr_values="idporten-loa-high")) == "eid"
    assert where(driver.begin(acr_values="idporten-loa-substantial")) == "service"


def test_a_lower_acr_than_the_session_is_served_by_it(make_driver: MakeDriver) -> None:
    driver = make_driver()
    first = authenticate(driver, PID, acr="idporten-loa-high")
    claims = id_token_of(driver, driver.begin(acr_values="idporten-loa-substantial"))
    assert claims["acr"] == first["acr"]
    assert "high" in str(first["acr"])
