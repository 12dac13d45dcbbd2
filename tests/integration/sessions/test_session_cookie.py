"""The session cookie: HttpOnly and SameSite=Lax, a new value at every authentication,
and never a value the browser held before the login (session fixation)."""

from __future__ import annotations

from tests.integration.sessions.conftest import PID, MakeDriver
from tests.integration.sessions.session_steps import authenticate, id_token_of, where
from tests.support.login_driver import SESSION_COOKIE, LoginDriver


def set_session_cookie(driver: LoginDriver, value: str) -> None:
    host = driver.browser.base_url.host
    driver.browser.cookies.set(SESSION_COOKIE, value, domain=host, path="/")


def test_the_cookie_is_httponly_and_samesite_lax(make_driver: MakeDriver) -> None:
    driver = make_driver()
    start = driver.start()
    done = driver.login(start, PID)
    header = next(
        value
        for value in done.headers.get_list("set-cookie")
        if value.startswith(f"{SESSION_COOKIE}=")
    )
    attributes = {part.strip().lower() for part in header.split(";")[1:]}
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "path=/" in attributes
    assert not any(a.startswith(("max-age", "expires")) for a in attributes)


def test_the_cookie_rotates_at_every_authentication(make_driver: MakeDriver) -> None:
    driver = make_driver()
    authenticate(driver, PID)
    first = driver.session_cookie
    assert first
    assert where(driver.begin()) == "service"
    assert driver.session_cookie == first  # a silent login authenticates nobody
    authenticate(driver, PID, keep_session=True, prompt="login")
    second = driver.session_cookie
    assert second
    assert second != first
    assert where(driver.begin()) == "service"  # the new value carries the session
    old = make_driver()
    set_session_cookie(old, first)
    assert where(old.begin()) == "eid"  # the old value is no session any more


def test_a_cookie_set_before_the_login_is_never_adopted(make_driver: MakeDriver) -> None:
    """An attacker plants a session cookie value in the victim's browser; after the
    victim logs in, that value logs nobody in."""
    planted = "A" * 43
    victim = make_driver()
    set_session_cookie(victim, planted)
    authenticate(victim, PID, keep_session=True)
    assert victim.session_cookie not in (None, planted)
    attacker = make_driver()
    set_session_cookie(attacker, planted)
    assert where(attacker.begin()) == "eid"
    assert "error=login_required" in attacker.begin(prompt="none").headers["location"]


def test_an_attackers_own_session_cookie_is_not_continued_by_the_victim(
    make_driver: MakeDriver, testid_people: dict[str, str]
) -> None:
    """The attacker logs in as themself and plants their live cookie in the victim's
    browser; the victim authenticates (as themself, another person): their login starts
    a browser session of its own under a new value, and the attacker's cookie still
    logs in only the attacker."""
    attacker = make_driver()
    attacker_claims = authenticate(attacker, testid_people["plain_employee"])
    planted = attacker.session_cookie
    assert planted
    victim = make_driver()
    set_session_cookie(victim, planted)
    victim_claims = authenticate(victim, PID, keep_session=True, prompt="login")
    assert victim.session_cookie != planted
    again = attacker.begin()
    assert where(again) == "service"
    claims = id_token_of(attacker, again)
    assert claims["sub"] == attacker_claims["sub"] != victim_claims["sub"]
