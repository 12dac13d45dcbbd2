"""openid-client (the Node library) as the service: a silent re-login with
`prompt=none` in the browser's session, and the back-channel logout token it is sent
verified against the JWKS from discovery, with the session's `sid`."""

from __future__ import annotations

import pytest

from tests.integration.sessions.conftest import PID, MakeDriver
from tests.integration.sessions.session_steps import where
from tests.support import openid_client
from tests.support.login_driver import CLIENTS
from tests.support.logout_receiver import LogoutReceiver
from tests.support.provider import RunningProvider


@pytest.fixture(scope="module")
def installed() -> None:
    openid_client.ensure_installed()


def test_openid_client_silent_relogin_and_backchannel_logout(
    installed: None,
    session_provider: RunningProvider,
    make_driver: MakeDriver,
    receiver: tuple[LogoutReceiver, str],
) -> None:
    secret, redirect_uri, _ = CLIENTS["logout-service"]
    assert secret
    rp = (session_provider.settings.issuer, "logout-service", secret)
    browser = make_driver("logout-service")

    first = openid_client.run("authorize", *rp, redirect_uri)
    login_page = browser.browser.get(first["url"])
    assert where(login_page) == "eid"
    done = browser.login(login_page.headers["location"], PID)
    claims = openid_client.run(
        "callback", *rp, done.headers["location"], first["verifier"], first["state"], first["nonce"]
    )
    assert claims["sid"]

    silent = openid_client.run("authorize", *rp, redirect_uri, "none")
    answer = browser.browser.get(silent["url"])
    assert where(answer) == "service"  # straight back, no page
    again = openid_client.run(
        "callback",
        *rp,
        answer.headers["location"],
        silent["verifier"],
        silent["state"],
        silent["nonce"],
    )
    assert again["sid"] == claims["sid"]
    assert again["sub"] == claims["sub"]
    assert again["auth_time"] == claims["auth_time"]

    app = receiver[0]
    before = len(app.tokens)
    assert browser.browser.get("/logout", params={"client_id": "logout-service"}).status_code == 200
    token = app.wait_for(before + 1)[before]
    verified = openid_client.run("logout-token", *rp, token, claims["sid"])
    assert verified["sub"] == claims["sub"]

    other = openid_client.run("authorize", *rp, redirect_uri, "none")
    refused = browser.browser.get(other["url"])
    assert "error=login_required" in refused.headers["location"]
