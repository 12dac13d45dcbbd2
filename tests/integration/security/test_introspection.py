"""POST /token/introspect (RFC 7662 2.1): only an authenticated client may ask - a
public client proves nothing but a client_id anyone can read - so nobody can scan
tokens; what an authenticated client learns is exactly whether the token is alive."""

from __future__ import annotations

import pytest

from tests.support.oauth_checks import assert_json_error


@pytest.fixture
def tokens(make_driver):
    return make_driver("refresh-service").tokens()


@pytest.mark.parametrize(
    ("data", "auth"),
    [
        ({"client_id": "public-spa"}, None),
        ({"client_id": "public-refresh-spa"}, None),
        ({}, None),
        ({}, ("refresh-service", "wrong-secret-000000000000")),
        ({"client_id": "refresh-service"}, None),
    ],
    ids=["public_client", "public_client_with_grant", "nobody", "wrong_secret", "id_only"],
)
def test_only_an_authenticated_client_may_introspect(make_driver, tokens, data, auth):
    driver = make_driver("public-spa")

    response = driver.service.post(
        "/token/introspect", data={"token": tokens["access_token"], **data}, auth=auth
    )

    assert_json_error(response, "invalid_client", 401)
    assert "pid" not in response.text


@pytest.mark.parametrize("client_id", ["confidential-service", "post-service", "jwt-service"])
def test_an_authenticated_api_learns_whether_the_token_is_alive(make_driver, tokens, client_id):
    api = make_driver(client_id)

    body = api.introspect(tokens["access_token"]).json()

    assert body["active"] is True
    assert body["client_id"] == "refresh-service"


@pytest.mark.parametrize("which", ["refresh_token", "id_token"])
def test_only_access_tokens_are_active(make_driver, tokens, which):
    assert make_driver("confidential-service").introspect(tokens[which]).json() == {"active": False}
