"""POST /token/introspect (RFC 7662 2.1): only an authenticated client may ask - a
public client proves nothing but a client_id anyone can read - so nobody can scan
tokens; what an authenticated client learns is exactly whether the token is alive, and a
refresh token's real state only the client holding it learns (RFC 7662 2.2)."""

from __future__ import annotations

import time

import pytest

from tests.support import altinn_oracle as oracle
from tests.support.oauth_checks import assert_json_error
from tests.support.representation import open_picker, redeem_details, to_picker
from tests.support.tokens import verified_claims


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
def test_another_client_learns_nothing_of_a_refresh_or_id_token(make_driver, tokens, which):
    assert make_driver("confidential-service").introspect(tokens[which]).json() == {"active": False}


# refresh tokens (RFC 7662 2.2: the token's real state) ------------------------------------


def test_the_holder_learns_the_state_of_its_live_refresh_token(make_driver, tokens, sec_provider):
    holder = make_driver("refresh-service")
    access = verified_claims(sec_provider.base_url, tokens["access_token"])
    before = time.time()

    body = holder.introspect(tokens["refresh_token"]).json()

    assert body["active"] is True
    assert body["token_type"] == "refresh_token"
    assert body["client_id"] == "refresh-service"
    assert body["iss"] == sec_provider.settings.issuer
    assert body["sub"] == access["sub"]
    assert body["scope"] == access["scope"]
    assert before - 5 < body["iat"] <= time.time()
    assert body["exp"] == pytest.approx(body["iat"] + tokens["refresh_token_expires_in"], abs=1)
    assert "authorization_details" not in body  # none was asked for
    assert "pid" not in body


def test_a_refresh_token_carries_the_granted_authorization_details(make_rar_driver):
    driver = make_rar_driver("refresh-service")
    pid = "23865938772"  # tests/fixtures/altinn_people.json main_with_subunits
    picker = to_picker(driver, [oracle.resource_detail("app_ttd_apps-test")], pid)
    orgno = open_picker(driver, picker).parties[0]
    tokens = redeem_details(driver, driver.choose(picker, parties=[orgno]))

    body = driver.introspect(tokens["refresh_token"]).json()

    assert body["active"] is True
    assert body["authorization_details"] == tokens["authorization_details"]


@pytest.mark.parametrize("ended_by", ["use", "revocation"])
def test_a_used_or_revoked_refresh_token_is_inactive(make_driver, tokens, ended_by):
    holder = make_driver("refresh-service")
    if ended_by == "use":
        assert holder.refresh(tokens["refresh_token"]).status_code == 200
    else:
        assert holder.revoke(tokens["refresh_token"]).status_code == 200

    assert holder.introspect(tokens["refresh_token"]).json() == {"active": False}
