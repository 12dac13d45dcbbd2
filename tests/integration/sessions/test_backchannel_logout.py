"""Back-channel logout (OpenID Back-Channel Logout 1.0) over real HTTP: the service gets
a logout token that verifies against the provider's JWKS and names the session it ended;
a service that is down or hangs neither slows nor fails the person's logout; every
delivery's outcome is recorded in the database."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from joserfc import jws, jwt
from joserfc.jwk import KeySet

from tests.integration.sessions.conftest import (
    PID,
    CountingRegister,
    MakeDriver,
    session_settings,
)
from tests.integration.sessions.session_steps import where
from tests.support.login_driver import LoginDriver
from tests.support.logout_receiver import LogoutReceiver
from tests.support.provider import RunningProvider, run_provider
from tests.support.servers import free_port, serve_in_thread
from tests.support.tokens import rows, verified_claims

EVENT = "http://schemas.openid.net/event/backchannel-logout"
LOGGED_OUT = "http://127.0.0.1/logout-service/logged-out"


def log_in(driver: LoginDriver) -> dict[str, Any]:
    """A login at `logout-service`; the token response."""
    callback = driver.callback(driver.login(driver.start(), PID))
    tokens = driver.redeem(callback["code"])
    assert tokens.status_code == 200, tokens.text
    body: dict[str, Any] = tokens.json()
    return body


def log_out(driver: LoginDriver, id_token: str) -> httpx.Response:
    return driver.browser.get(
        "/logout",
        params={"id_token_hint": id_token, "post_logout_redirect_uri": LOGGED_OUT, "state": "s1"},
    )


def deliveries(provider: RunningProvider, sid: str) -> list[Any]:
    return rows(
        provider.settings.database_url,
        "SELECT state, attempts, last_outcome, finished_at FROM logout_deliveries WHERE sid = ?",
        sid,
    )


def wait_for_outcome(provider: RunningProvider, sid: str, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = deliveries(provider, sid)
        if found and found[0]["state"] != "pending":
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no outcome recorded: {deliveries(provider, sid)}")


def test_the_service_gets_a_logout_token_for_its_session(
    make_driver: MakeDriver,
    session_provider: RunningProvider,
    receiver: tuple[LogoutReceiver, str],
) -> None:
    app, _ = receiver
    driver = make_driver("logout-service")
    id_token = log_in(driver)["id_token"]
    claims = verified_claims(driver.base_url, id_token)
    assert claims["sid"]  # registered for back-channel logout: its id_tokens carry sid
    before = len(app.tokens)

    response = log_out(driver, id_token)
    assert response.status_code == 303
    assert response.headers["location"] == f"{LOGGED_OUT}?state=s1"

    token = app.wait_for(before + 1)[before]
    assert app.content_types[-1] == "application/x-www-form-urlencoded"
    keys = KeySet.import_key_set(httpx.get(f"{driver.base_url}/jwks.json").json())
    header = jws.extract_compact(token.encode()).protected
    assert header["typ"] == "logout+jwt"
    logout = jwt.decode(token, keys, algorithms=["RS256"]).claims
    assert logout["iss"] == claims["iss"]
    assert logout["aud"] == "logout-service"
    assert logout["sub"] == claims["sub"]
    assert logout["sid"] == claims["sid"]
    assert logout["events"] == {EVENT: {}}
    assert logout["jti"]
    assert abs(logout["iat"] - time.time()) < 60
    assert "nonce" not in logout

    outcome = wait_for_outcome(session_provider, claims["sid"])
    assert (outcome["state"], outcome["attempts"], outcome["last_outcome"]) == (
        "delivered",
        1,
        "status 200",
    )
    assert where(driver.begin()) == "eid"  # the session has ended


def test_the_logout_token_names_the_public_sub_of_a_public_subject_client(
    make_driver: MakeDriver, receiver: tuple[LogoutReceiver, str]
) -> None:
    """A client registered with `subject_type = "public"` sees the public `sub` in its
    id_tokens, and the same in its logout tokens."""
    app, _ = receiver
    driver = make_driver("public-logout-service")
    claims = verified_claims(driver.base_url, log_in(driver)["id_token"])
    before = len(app.tokens)
    assert driver.browser.get("/logout", params={"client_id": driver.client_id}).status_code == 200
    token = app.wait_for(before + 1)[before]
    logout = jwt.decode(token, KeySet.import_key_set(jwks(driver)), algorithms=["RS256"]).claims
    assert logout["aud"] == "public-logout-service"
    assert logout["sid"] == claims["sid"]
    assert logout["sub"] == claims["sub"]


def test_logout_without_a_hint_ends_this_browsers_session_with_the_service(
    make_driver: MakeDriver,
    receiver: tuple[LogoutReceiver, str],
) -> None:
    app, _ = receiver
    driver = make_driver("logout-service")
    claims = verified_claims(driver.base_url, log_in(driver)["id_token"])
    before = len(app.tokens)
    response = driver.browser.get("/logout", params={"client_id": "logout-service"})
    assert response.status_code == 200
    token = app.wait_for(before + 1)[before]
    assert (
        jwt.decode(token, KeySet.import_key_set(jwks(driver)), algorithms=["RS256"]).claims["sid"]
        == claims["sid"]
    )
    assert where(driver.begin()) == "eid"


def jwks(driver: LoginDriver) -> dict[str, Any]:
    found: dict[str, Any] = httpx.get(f"{driver.base_url}/jwks.json").json()
    return found


def test_logout_ends_only_that_services_session(make_driver: MakeDriver) -> None:
    driver = make_driver("logout-service")
    id_token = log_in(driver)["id_token"]
    other = make_driver("confidential-service", browser=driver)
    callback = other.callback(other.login(other.start(keep_session=True), PID))
    assert other.redeem(callback["code"]).status_code == 200
    assert log_out(driver, id_token).status_code == 303
    assert where(driver.begin()) == "eid"
    assert where(other.begin()) == "service"  # still logged in there


@pytest.fixture(params=["down", "hanging"])
def troubled_provider(
    request: pytest.FixtureRequest,
    register: tuple[CountingRegister, str],
    tmp_path: Any,
) -> Iterator[tuple[RunningProvider, str]]:
    """A provider whose `logout-service` is down (nothing listens at its back-channel
    URI) or hangs (answers after 3 s; the provider waits 1 s)."""
    hanging = LogoutReceiver()
    hanging.delay = 3.0
    if request.param == "down":
        uri = f"http://127.0.0.1:{free_port()}/backchannel"
        with run_provider(f"sqlite:///{tmp_path}/a.db", session_settings(register[1], uri)) as p:
            yield p, request.param
        return
    with (
        serve_in_thread(hanging) as url,
        run_provider(
            f"sqlite:///{tmp_path}/a.db", session_settings(register[1], f"{url}/backchannel")
        ) as p,
    ):
        yield p, request.param


def test_a_service_down_neither_blocks_nor_fails_the_logout(
    troubled_provider: tuple[RunningProvider, str],
) -> None:
    provider, trouble = troubled_provider
    driver = LoginDriver(provider.base_url, client_id="logout-service")
    try:
        id_token = log_in(driver)["id_token"]
        sid = verified_claims(driver.base_url, id_token)["sid"]
        started = time.monotonic()
        response = log_out(driver, id_token)
        took = time.monotonic() - started
        assert response.status_code == 303
        assert response.headers["location"] == f"{LOGGED_OUT}?state=s1"
        assert took < 0.9  # the provider's timeouts are 1 s: it did not wait for them
        assert where(driver.begin()) == "eid"
        outcome = wait_for_outcome(provider, sid)
        expected = "connect error" if trouble == "down" else "timeout"
        assert (outcome["state"], outcome["attempts"], outcome["last_outcome"]) == (
            "failed",
            1,
            expected,
        )
        assert outcome["finished_at"]
    finally:
        driver.close()


def test_a_failed_delivery_is_tried_again_when_the_settings_allow(
    register: tuple[CountingRegister, str], tmp_path: Any
) -> None:
    """ID-porten tries once; `backchannel_logout_retries` allows more, each recorded."""
    failing = LogoutReceiver()
    failing.status = 500
    with serve_in_thread(failing) as url:
        settings = session_settings(
            register[1],
            f"{url}/backchannel",
            backchannel_logout_retries=1,
            backchannel_logout_retry_seconds=0.2,
            backchannel_poll_seconds=0.1,
        )
        with run_provider(f"sqlite:///{tmp_path}/r.db", settings) as provider:
            driver = LoginDriver(provider.base_url, client_id="logout-service")
            try:
                id_token = log_in(driver)["id_token"]
                sid = verified_claims(driver.base_url, id_token)["sid"]
                assert log_out(driver, id_token).status_code == 303
                outcome = wait_for_outcome(provider, sid)
            finally:
                driver.close()
    assert (outcome["state"], outcome["attempts"], outcome["last_outcome"]) == (
        "failed",
        2,
        "status 500",
    )
    assert len(failing.tokens) == 2
    sent = [json.loads(jws.extract_compact(t.encode()).payload) for t in failing.tokens]
    assert {claims["sid"] for claims in sent} == {sid}
    assert len({claims["jti"] for claims in sent}) == 1  # one logout, sent twice
