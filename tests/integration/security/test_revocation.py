"""POST /token/revoke (RFC 7009): a client revokes its own refresh or access token, and
with it the whole grant; the answer is 200 whatever the token, and another client's
token is left alone."""

from __future__ import annotations

import pytest

from tests.integration.security.support import token_is_alive
from tests.support.oauth_checks import assert_json_error


@pytest.fixture
def refresher(make_driver):
    return make_driver("refresh-service")


@pytest.mark.parametrize("which", ["refresh_token", "access_token"])
def test_revoking_a_token_kills_the_grant(refresher, which):
    tokens = refresher.tokens()
    refreshed = refresher.refresh(tokens["refresh_token"]).json()
    current = {"refresh_token": refreshed["refresh_token"], "access_token": tokens["access_token"]}

    response = refresher.revoke(current[which])

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert not token_is_alive(refresher, tokens["access_token"])
    assert not token_is_alive(refresher, refreshed["access_token"])
    assert_json_error(refresher.refresh(refreshed["refresh_token"]), "invalid_grant")


@pytest.mark.parametrize("hint", ["access_token", "refresh_token", "something_else"])
def test_the_token_type_hint_does_not_matter(refresher, hint):
    tokens = refresher.tokens()

    response = refresher.back_channel(
        "/token/revoke", {"token": tokens["access_token"], "token_type_hint": hint}
    )

    assert response.status_code == 200
    assert not token_is_alive(refresher, tokens["access_token"])


@pytest.mark.parametrize("token", ["unknown-token", "a.b.c", "x" * 20000])
def test_an_unknown_token_is_answered_200(refresher, token):
    response = refresher.revoke(token)

    assert response.status_code == 200, response.text


def test_revoking_twice_is_answered_200(refresher):
    tokens = refresher.tokens()
    assert refresher.revoke(tokens["refresh_token"]).status_code == 200

    assert refresher.revoke(tokens["refresh_token"]).status_code == 200


@pytest.mark.parametrize("which", ["refresh_token", "access_token"])
def test_another_clients_token_is_answered_200_but_not_revoked(refresher, make_driver, which):
    tokens = refresher.tokens()
    other = make_driver("confidential-service")

    response = other.revoke(tokens[which])

    assert response.status_code == 200, response.text
    assert token_is_alive(refresher, tokens["access_token"])
    assert refresher.refresh(tokens["refresh_token"]).status_code == 200


@pytest.mark.parametrize(
    ("data", "auth"),
    [
        ({}, None),
        ({}, ("refresh-service", "wrong-secret-000000000000")),
        ({"client_id": "refresh-service"}, None),
        ({"client_id": "no-such-client"}, None),
    ],
    ids=["no_credentials", "wrong_secret", "client_id_only", "unknown_client"],
)
def test_an_unauthenticated_request_is_refused(refresher, data, auth):
    tokens = refresher.tokens()

    response = refresher.service.post(
        "/token/revoke", data={"token": tokens["access_token"], **data}, auth=auth
    )

    assert_json_error(response, "invalid_client", 401)
    assert token_is_alive(refresher, tokens["access_token"])


def test_a_request_without_token_is_invalid(refresher):
    assert_json_error(refresher.back_channel("/token/revoke", {}), "invalid_request")
