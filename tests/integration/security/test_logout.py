"""RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) at GET and POST /logout:
the browser goes back only to a post_logout_redirect_uri registered exactly for the
client (never an open redirect), and an id_token_hint revokes that login's tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.integration.security.support import SecurityDriver, sign_assertion, token_is_alive
from tests.support.oauth_checks import assert_error_page, assert_json_error
from tests.support.tokens import expired, resign_with_provider_key, verified_claims

REGISTERED = "http://refresh.test/logged-out"
REGISTERED_WITH_QUERY = "http://refresh.test/bye?x=1"
Logout = Callable[[dict[str, str]], httpx.Response]


@pytest.fixture
def refresher(make_driver) -> SecurityDriver:
    return make_driver("refresh-service")


@pytest.fixture(params=["GET", "POST"])
def logout(request, refresher) -> Logout:
    """Send the browser to /logout with these parameters, by GET or by a form POST."""

    def send(params: dict[str, str]) -> httpx.Response:
        if request.param == "GET":
            return refresher.browser.get("/logout", params=params)
        # as a browser posts a form: always form-encoded, even when it has no fields
        return refresher.browser.post(
            "/logout",
            content=urlencode(params),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    return send


def assert_logged_out_page(response: httpx.Response, *not_shown: str) -> None:
    assert_error_page(response, 200)
    for text in not_shown:
        assert text not in response.text


def assert_tokens_dead(driver: SecurityDriver, tokens: dict[str, Any]) -> None:
    assert driver.userinfo(tokens["access_token"]).status_code == 401
    assert not token_is_alive(driver, tokens["access_token"])
    assert_json_error(driver.refresh(tokens["refresh_token"]), "invalid_grant")


def test_hint_and_registered_uri_redirect_with_state_and_revoke(refresher, logout):
    tokens = refresher.tokens()

    response = logout(
        {
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": REGISTERED,
            "state": "after-logout 1",
        }
    )

    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{REGISTERED}?state=after-logout%201"
    assert_tokens_dead(refresher, tokens)


def test_a_registered_uri_keeps_its_query(refresher, logout):
    tokens = refresher.tokens()

    response = logout(
        {
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": REGISTERED_WITH_QUERY,
            "state": "s",
        }
    )

    assert response.status_code == 303
    assert response.headers["location"] == f"{REGISTERED_WITH_QUERY}&state=s"


@pytest.mark.parametrize(
    "uri",
    [
        "https://evil.test/",
        "http://refresh.test/logged-out/../../evil",
        "http://refresh.test/logged-out?next=https://evil.test",
        "http://refresh.test/logged-out.evil.test",
        "http://refresh.test/Logged-Out",
        "//evil.test/",
        "http://jwt.test/logged-out",  # registered, but for another client
    ],
)
def test_an_unregistered_uri_shows_the_logged_out_page(refresher, logout, uri):
    tokens = refresher.tokens()

    response = logout({"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": uri})

    assert_logged_out_page(response, uri)
    assert_tokens_dead(refresher, tokens)  # the hint was genuine: the login still ends


def test_without_hint_client_id_and_registered_uri_redirect(logout):
    response = logout(
        {"client_id": "refresh-service", "post_logout_redirect_uri": REGISTERED, "state": "s1"}
    )

    assert response.status_code == 303
    assert response.headers["location"] == f"{REGISTERED}?state=s1"


@pytest.mark.parametrize(
    "params",
    [
        {"client_id": "refresh-service", "post_logout_redirect_uri": "https://evil.test/"},
        {"client_id": "confidential-service", "post_logout_redirect_uri": REGISTERED},
        {"client_id": "no-such-client", "post_logout_redirect_uri": REGISTERED},
        {"post_logout_redirect_uri": REGISTERED},
        {},
    ],
    ids=["unregistered_uri", "other_clients_uri", "unknown_client", "no_client", "nothing"],
)
def test_without_hint_nothing_unregistered_redirects(logout, params):
    assert_logged_out_page(logout(params))


@pytest.mark.parametrize(
    "hint",
    ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."],
    ids=["garbage", "three_parts", "alg_none"],
)
def test_an_invalid_hint_is_a_400_page(logout, hint):
    response = logout({"id_token_hint": hint, "post_logout_redirect_uri": REGISTERED})

    assert_error_page(response, 400)


def test_a_hint_signed_by_someone_else_is_a_400_page(refresher, logout, client_keys):
    tokens = refresher.tokens()
    claims = verified_claims(refresher.base_url, tokens["id_token"])
    forged = sign_assertion(client_keys.rsa, claims)

    response = logout({"id_token_hint": forged, "post_logout_redirect_uri": REGISTERED})

    assert_error_page(response, 400)
    assert token_is_alive(refresher, tokens["access_token"])


def test_a_hint_for_another_client_is_a_400_page(refresher, logout):
    tokens = refresher.tokens()

    response = logout(
        {
            "id_token_hint": tokens["id_token"],
            "client_id": "jwt-service",
            "post_logout_redirect_uri": "http://jwt.test/logged-out",
        }
    )

    assert_error_page(response, 400)
    assert token_is_alive(refresher, tokens["access_token"])


def test_an_expired_hint_still_ends_the_login(refresher, logout, sec_provider):
    """The spec lets an RP send an expired id_token as the hint; it must be ours."""
    tokens = refresher.tokens()
    claims = verified_claims(refresher.base_url, tokens["id_token"])
    old = resign_with_provider_key(
        sec_provider.settings.database_url, tokens["id_token"], expired(claims), typ="JWT"
    )

    response = logout({"id_token_hint": old, "post_logout_redirect_uri": REGISTERED})

    assert response.status_code == 303
    assert_tokens_dead(refresher, tokens)


@pytest.mark.parametrize("client_id", [None, "refresh-service"])
def test_an_access_token_is_not_a_hint(refresher, logout, client_id):
    """An access token also reaches the APIs a service calls; only the service holds the
    id_token, so only an id_token may end the login."""
    tokens = refresher.tokens()
    params = {"id_token_hint": tokens["access_token"], "post_logout_redirect_uri": REGISTERED}
    if client_id:
        params["client_id"] = client_id

    assert_error_page(logout(params), 400)
    assert token_is_alive(refresher, tokens["access_token"])


def test_an_access_token_signed_without_its_typ_is_not_a_hint(refresher, logout, sec_provider):
    """Even with the id_token's header (no `at+jwt`), an access token's claims (its
    `client_id`, its `aud` of "unspecified") are not an id_token's."""
    tokens = refresher.tokens()
    relabelled = resign_with_provider_key(
        sec_provider.settings.database_url, tokens["access_token"], {}, typ="JWT"
    )

    assert_error_page(logout({"id_token_hint": relabelled}), 400)
    assert token_is_alive(refresher, tokens["access_token"])


def test_a_hint_for_no_registered_client_is_a_400_page(refresher, logout, sec_provider):
    tokens = refresher.tokens()
    stray = resign_with_provider_key(
        sec_provider.settings.database_url, tokens["id_token"], {"aud": "nobody"}, typ="JWT"
    )

    assert_error_page(logout({"id_token_hint": stray}), 400)
    assert token_is_alive(refresher, tokens["access_token"])


def test_a_state_that_is_not_printable_ascii_is_dropped(logout):
    response = logout(
        {"client_id": "refresh-service", "post_logout_redirect_uri": REGISTERED, "state": "\x00ø"}
    )

    assert response.status_code == 303
    assert response.headers["location"] == REGISTERED
