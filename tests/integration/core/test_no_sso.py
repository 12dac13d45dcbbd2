"""No single sign-on between services: a browser that has just logged in to one service
must authenticate again for another. Each service's session is isolated (the same
service logs the person in again silently: `tests/integration/sessions/`)."""

from __future__ import annotations

import pytest

from tests.integration.core.conftest import MakeDriver
from tests.support.login_driver import LoginDriver
from tests.support.oauth_checks import assert_error_redirect, redirect_params
from tests.support.provider import RunningProvider


def same_browser(first: LoginDriver, second: LoginDriver) -> None:
    """Let `second` use `first`'s browser (its cookie jar): one person, one browser."""
    second.browser.close()
    second.browser = first.browser


def assert_login_page(driver: LoginDriver, login_url: str) -> None:
    page = driver.browser.get(login_url)
    assert page.status_code == 200, page.text
    assert 'name="pid"' in page.text


@pytest.fixture
def logged_in(make_driver: MakeDriver, testid_people: dict[str, str]) -> LoginDriver:
    driver = make_driver()
    code = driver.login_for_code(testid_people["plain_employee"])
    assert driver.redeem(code).status_code == 200
    assert driver.browser.cookies.get("ap_browser")
    assert driver.session_cookie  # the browser has a session: with this service only
    return driver


@pytest.mark.parametrize("via_par", [True, False])
def test_second_service_asks_for_login_again(
    logged_in: LoginDriver, make_driver: MakeDriver, via_par: bool
) -> None:
    cookie = logged_in.browser.cookies.get("ap_browser")
    session = logged_in.session_cookie
    second = make_driver("second-service")
    same_browser(logged_in, second)
    login_url = second.start(via_par=via_par, keep_session=True)
    assert_login_page(second, login_url)
    assert second.browser.cookies.get("ap_browser") == cookie  # really the same browser
    assert second.session_cookie == session  # ... with its session


def test_prompt_none_at_another_service_is_login_required(
    logged_in: LoginDriver, make_driver: MakeDriver, shared_provider: RunningProvider
) -> None:
    driver = make_driver("second-service")
    same_browser(logged_in, driver)
    response = driver.authorize(driver.params(prompt="none"))
    assert_error_redirect(
        response,
        driver.redirect_uri,
        "login_required",
        issuer=shared_provider.settings.issuer,
        state=driver.state,
    )


def test_second_login_needs_the_person_again(
    logged_in: LoginDriver, make_driver: MakeDriver, testid_people: dict[str, str]
) -> None:
    """The second service gets whoever logs in the second time - nothing is carried
    over from the first login."""
    second = make_driver("second-service")
    same_browser(logged_in, second)
    login_url = second.start(keep_session=True)
    callback = redirect_params(
        second.login(login_url, testid_people["second_employee"]), second.redirect_uri
    )
    tokens = second.redeem(callback["code"])
    assert tokens.status_code == 200
    info = second.service.get(
        "/userinfo", headers={"Authorization": f"Bearer {tokens.json()['access_token']}"}
    )
    assert info.json()["pid"] == testid_people["second_employee"]
