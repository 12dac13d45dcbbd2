"""A session ends 30 minutes after its last use and 120 minutes after it began, however
it is used (the provider's clock is moved on; both are settings)."""

from __future__ import annotations

from tests.integration.sessions.conftest import PID, MakeDriver
from tests.integration.sessions.session_steps import authenticate, id_token_of, where
from tests.support.provider import MovableClock

MINUTE = 60.0


def test_idle_for_more_than_30_minutes_authenticates(
    make_driver: MakeDriver, clock: MovableClock
) -> None:
    driver = make_driver()
    authenticate(driver, PID)
    clock.advance(29 * MINUTE)
    assert where(driver.begin()) == "service"  # and the idle timer starts again
    clock.advance(29 * MINUTE)
    assert where(driver.begin()) == "service"
    clock.advance(31 * MINUTE)
    assert where(driver.begin()) == "eid"
    assert where(driver.begin(prompt="none")) == "service"
    assert "error=login_required" in driver.begin(prompt="none").headers["location"]


def test_the_session_ends_after_120_minutes_however_active(
    make_driver: MakeDriver, clock: MovableClock
) -> None:
    driver = make_driver()
    first = authenticate(driver, PID)
    for _ in range(4):  # used every 25 minutes: never idle, 100 minutes in
        clock.advance(25 * MINUTE)
        assert id_token_of(driver, driver.begin())["auth_time"] == first["auth_time"]
    clock.advance(21 * MINUTE)  # 121 minutes
    assert where(driver.begin()) == "eid"


def test_a_new_authentication_after_expiry_starts_a_new_session(
    make_driver: MakeDriver, clock: MovableClock
) -> None:
    driver = make_driver()
    authenticate(driver, PID)
    clock.advance(31 * MINUTE)
    again = authenticate(driver, PID, keep_session=True)
    clock.advance(MINUTE)
    assert id_token_of(driver, driver.begin())["auth_time"] == again["auth_time"]
