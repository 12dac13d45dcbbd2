"""Two provider instances on one PostgreSQL database serve one login between them: no
step keeps state in process memory, every instance signs with the same keys, and a code
is single use across instances."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.support.login_driver import LoginDriver, forms_of, query_of
from tests.support.provider import run_provider

NO_RETRY_WINDOW = {"rate_limit": False, "token_retry_seconds": 0}
"""A code presented again at once is reuse, not a retry (tests/integration/security/
test_code_reuse.py covers the retry window), so the replay below revokes the grant."""


def test_one_login_between_two_instances(postgres_url: str, testid_people: dict[str, str]) -> None:
    pid = testid_people["plain_employee"]
    # The first instance migrates the database and creates the keys; the second starts
    # after it, with the same issuer, as two instances behind one load balancer would.
    with run_provider(postgres_url, NO_RETRY_WINDOW) as first:
        issuer = first.settings.issuer
        with run_provider(postgres_url, {"issuer": issuer, **NO_RETRY_WINDOW}) as second:
            assert first.base_url != second.base_url
            assert second.settings.issuer == issuer
            run_one_login(first.base_url, second.base_url, issuer, pid)


def run_one_login(a: str, b: str, issuer: str, pid: str) -> None:
    service = LoginDriver(b)  # the service talks to B
    # one browser: the cookie is host-only for 127.0.0.1, so it goes to both ports
    browser = service.browser
    try:
        # the service pushes its request to instance B ...
        pushed = service.push(service.params())
        assert pushed.status_code == 201, pushed.text
        # ... the browser starts at instance A ...
        started = browser.get(
            f"{a}/authorize",
            params={"client_id": service.client_id, "request_uri": pushed.json()["request_uri"]},
        )
        assert started.status_code == 303, started.text
        login_path = urlsplit(started.headers["location"]).path
        assert login_path.startswith("/login/")
        assert browser.cookies.get("ap_browser")

        # ... and logs in at instance B
        page = browser.get(f"{b}{login_path}")
        assert page.status_code == 200, page.text
        form = next(f for f in forms_of(page.text) if f.action.endswith("/testid"))
        done = browser.post(
            f"{b}{form.action}",
            data={**form.fields, "pid": pid, "acr": "idporten-loa-high"},
        )
        assert done.status_code == 303, done.text
        location = done.headers["location"]
        assert location.startswith(service.redirect_uri)
        callback = query_of(location)
        assert callback["state"] == service.state
        assert callback["iss"] == issuer

        # the code is redeemed at B
        tokens = service.redeem(callback["code"])
        assert tokens.status_code == 200, tokens.text
        body = tokens.json()

        # both instances publish the same keys; the tokens verify against A's
        jwks_a = httpx.get(f"{a}/jwks.json").json()
        jwks_b = httpx.get(f"{b}/jwks.json").json()
        assert jwks_a == jwks_b
        keys = KeySet.import_key_set(jwks_a)
        id_token = jwt.decode(body["id_token"], keys).claims
        assert id_token["iss"] == issuer
        assert id_token["pid"] == pid
        assert id_token["acr"] == "high"
        assert id_token["nonce"] == service.nonce
        access = jwt.decode(body["access_token"], keys).claims
        assert access["iss"] == issuer

        # A accepts the access token B issued ...
        bearer = {"Authorization": f"Bearer {body['access_token']}"}
        info = httpx.get(f"{a}/userinfo", headers=bearer)
        assert info.status_code == 200, info.text
        assert info.json()["pid"] == pid

        # ... and a replay of the code at A is refused and revokes the grant everywhere
        replay = httpx.post(
            f"{a}/token",
            data={
                "grant_type": "authorization_code",
                "code": callback["code"],
                "redirect_uri": service.redirect_uri,
                "code_verifier": service.verifier,
            },
            auth=(service.client_id, service.secret or ""),
        )
        assert replay.status_code == 400
        assert replay.json()["error"] == "invalid_grant"
        assert httpx.get(f"{a}/userinfo", headers=bearer).status_code == 401
        assert httpx.get(f"{b}/userinfo", headers=bearer).status_code == 401
    finally:
        service.close()
