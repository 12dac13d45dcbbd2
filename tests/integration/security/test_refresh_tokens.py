"""Refresh tokens (RFC 6749 6, RFC 9700 4.14): rotated on every use, a reused one revokes
the whole grant, never held by a client without the grant nor by a public client
without DPoP (with DPoP it holds one bound to its key: tests/integration/clients/
test_dpop.py), and the `authorization_details` granted at login carried over
unchanged."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from tests.integration.security.support import PID, token_is_alive, write_sql
from tests.support import altinn_oracle as oracle
from tests.support.oauth_checks import assert_json_error
from tests.support.representation import open_picker, redeem_details, to_picker
from tests.support.tokens import verified_claims


@pytest.fixture
def refresher(make_driver):
    return make_driver("refresh-service")


def test_each_refresh_rotates_the_refresh_token(refresher, sec_provider):
    tokens = refresher.tokens()
    seen = {tokens["refresh_token"]}
    current = tokens["refresh_token"]

    for _ in range(3):
        response = refresher.refresh(current)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["refresh_token"] not in seen
        assert token_is_alive(refresher, body["access_token"])
        assert verified_claims(sec_provider.base_url, body["access_token"])["client_id"] == (
            "refresh-service"
        )
        seen.add(body["refresh_token"])
        current = body["refresh_token"]


@pytest.mark.parametrize("source", ["code", "refresh"])
def test_refresh_token_expires_in_is_given(refresher, sec_provider, source):
    body = refresher.tokens()
    if source == "refresh":
        body = refresher.refresh(body["refresh_token"]).json()

    lifetime = sec_provider.settings.refresh_token_lifetime
    assert isinstance(body["refresh_token_expires_in"], int)
    assert 0 < body["refresh_token_expires_in"] <= lifetime


def test_a_used_refresh_token_cannot_be_used_again(refresher):
    first = refresher.tokens()["refresh_token"]
    assert refresher.refresh(first).status_code == 200

    assert_json_error(refresher.refresh(first), "invalid_grant")


def test_reusing_a_refresh_token_revokes_the_whole_grant(refresher):
    """RFC 9700 4.14.2: a rotated-out token coming back means one of the two parties is
    an attacker; the provider cannot tell which, so everything of that login dies."""
    tokens = refresher.tokens()
    second = refresher.refresh(tokens["refresh_token"]).json()
    assert token_is_alive(refresher, second["access_token"])

    reuse = refresher.refresh(tokens["refresh_token"])

    assert_json_error(reuse, "invalid_grant")
    assert_json_error(refresher.refresh(second["refresh_token"]), "invalid_grant")
    assert not token_is_alive(refresher, second["access_token"])
    assert not token_is_alive(refresher, tokens["access_token"])


def test_another_client_cannot_use_a_stolen_refresh_token(refresher, make_driver):
    tokens = refresher.tokens()
    thief = make_driver("jwt-service")

    assert_json_error(thief.refresh(tokens["refresh_token"]), "invalid_grant")
    # ... and the thief's attempt neither used nor revoked the owner's token
    assert refresher.refresh(tokens["refresh_token"]).status_code == 200


def test_a_public_client_without_dpop_holds_no_refresh_token(make_driver):
    """public-refresh-spa is even registered for the grant: without a DPoP key to bind
    it to, no refresh token anyway."""
    public = make_driver("public-refresh-spa")

    body = public.tokens()

    assert "refresh_token" not in body
    assert "refresh_token_expires_in" not in body


def test_a_public_client_cannot_refresh_without_dpop(refresher, make_driver):
    stolen = refresher.tokens()["refresh_token"]
    public = make_driver("public-refresh-spa")

    response = public.refresh(stolen)

    assert_json_error(response, "unauthorized_client")
    assert refresher.refresh(stolen).status_code == 200


def test_a_client_without_the_grant_gets_no_refresh_token(make_driver, refresher):
    plain = make_driver("confidential-service")
    body = plain.tokens()
    assert "refresh_token" not in body

    # nor can it use another client's
    stolen = refresher.tokens()["refresh_token"]
    assert_json_error(plain.refresh(stolen), "unauthorized_client")


@pytest.mark.parametrize(
    ("table", "column"),
    [("refresh_tokens", "token_hash"), ("grants", "id")],
    ids=["refresh_token_expired", "grant_expired"],
)
def test_an_expired_refresh_token_or_grant_cannot_refresh(refresher, sec_provider, table, column):
    tokens = refresher.tokens()
    claims = verified_claims(sec_provider.base_url, tokens["access_token"])
    key = (
        hashlib.sha256(tokens["refresh_token"].encode()).hexdigest()
        if table == "refresh_tokens"
        else claims["jti"].split(".")[0]
    )
    write_sql(
        sec_provider.settings.database_url,
        f"UPDATE {table} SET expires_at = ? WHERE {column} = ?",
        time.time() - 1,
        key,
    )

    assert_json_error(refresher.refresh(tokens["refresh_token"]), "invalid_grant")


def test_refresh_does_not_issue_an_id_token(refresher):
    body = refresher.refresh(refresher.tokens()["refresh_token"]).json()

    assert "id_token" not in body


# authorization_details over a refresh ------------------------------------------------------


def test_authorization_details_are_carried_over_unchanged(make_rar_driver, rar_provider):
    driver = make_rar_driver("refresh-service")
    pid = "23865938772"  # tests/fixtures/altinn_people.json main_with_subunits
    detail = oracle.resource_detail("app_ttd_apps-test")
    picker = to_picker(driver, [detail], pid)
    orgno = open_picker(driver, picker).parties[0]
    tokens = redeem_details(driver, driver.choose(picker, parties=[orgno]))
    granted = tokens["authorization_details"]
    assert granted
    assert granted[0]["type"] == oracle.RESOURCE_TYPE

    # a client cannot widen or swap what was granted by asking at refresh time
    asked = [oracle.resource_detail("app_ttd_rapportering")]
    response = driver.back_channel(
        "/token",
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "authorization_details": json.dumps(asked),
        },
    )
    assert response.status_code == 200, response.text
    refreshed = response.json()

    assert refreshed["authorization_details"] == granted
    access = verified_claims(rar_provider.base_url, refreshed["access_token"])
    assert access["authorization_details"] == granted
    introspection = driver.introspect(refreshed["access_token"]).json()
    assert introspection["authorization_details"] == granted
    first = verified_claims(rar_provider.base_url, tokens["access_token"])
    assert (access["pid"], access["sub"]) == (pid, first["sub"])


def test_the_refresh_helper_logs_in_as_the_synthetic_person(refresher, sec_provider):
    """Guard: the tokens above belong to the TestID person the tests assume."""
    claims = verified_claims(sec_provider.base_url, refresher.tokens()["access_token"])

    assert claims["pid"] == PID
