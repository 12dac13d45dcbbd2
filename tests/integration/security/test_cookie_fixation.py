"""Browser cookie fixation: a browser-binding value set in the person's browser before
the login (by a sibling domain, or a page that can set cookies) is never adopted. The
provider accepts only values it issued (HMAC under a key the instances share), so the
one who set the value cannot follow or finish the person's login."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.security.support import PID
from tests.support.login_driver import TLS, LoginDriver
from tests.support.provider import RunningProvider

FIXED = "fixed-by-the-attacker-0123456789abcdefghijklmnopq"  # 49 characters, URL-safe


def cookie_set_by(response: httpx.Response) -> str:
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("ap_browser=")
    return cookie.split(";", 1)[0].split("=", 1)[1]


@pytest.mark.parametrize("fixed", [FIXED, "A" * 54])
def test_a_fixed_value_is_replaced_and_useless_to_whoever_set_it(
    make_driver, sec_provider: RunningProvider, fixed: str
) -> None:
    victim: LoginDriver = make_driver()
    victim.browser.cookies.set("ap_browser", fixed)

    started = victim.authorize(victim.params())
    assert started.status_code == 303, started.text
    issued = cookie_set_by(started)
    assert issued != fixed
    login_url = started.headers["location"]

    with httpx.Client(
        base_url=sec_provider.base_url, follow_redirects=False, timeout=30, verify=TLS
    ) as attacker:
        attacker.cookies.set("ap_browser", fixed)
        assert attacker.get(login_url).status_code == 403

    victim.browser.cookies.clear()
    victim.browser.cookies.set("ap_browser", issued)  # as a browser replaces the cookie
    code = victim.callback(victim.login(login_url, PID))["code"]
    assert victim.redeem(code).status_code == 200


def test_a_value_the_provider_issued_is_kept(make_driver) -> None:
    driver: LoginDriver = make_driver()
    first = cookie_set_by(driver.authorize(driver.params()))
    second = cookie_set_by(driver.authorize(driver.params()))
    assert first == second
