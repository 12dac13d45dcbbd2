"""The granted `authorization_details` reach the service and its APIs unchanged (spec 4.1
"token response, id_token, access_token"; RFC 9396 7 and 9): in the token response, both
signed tokens, and introspection as a top-level member."""

from __future__ import annotations

import pytest

from tests.support import altinn_oracle as oracle
from tests.support.representation import redeem_details, to_picker
from tests.support.tokens import expired, introspect, resign_with_provider_key, verified_claims

RESOURCE = "resource_enkeltrettighet"
ACTIONS = ("write", "report")


@pytest.fixture
def granted(rar_driver, altinn_people, altinn_demo):
    """A login for two organisations with actions; the token response."""
    pid = altinn_people["two_resources"]
    chosen = sorted(oracle.eligible(altinn_demo, pid, RESOURCE, actions=ACTIONS))[:2]
    assert len(chosen) == 2
    detail = oracle.resource_detail(
        RESOURCE, actions=",".join(ACTIONS), allow_multiple_organizations=True
    )
    picker = to_picker(rar_driver, [detail], pid)
    tokens = redeem_details(rar_driver, rar_driver.choose(picker, parties=chosen))
    assert oracle.orgnos_of(tokens["authorization_details"][0]) == set(chosen)
    return tokens


def test_same_details_in_response_id_token_and_access_token(granted, rar_provider):
    details = granted["authorization_details"]
    id_token = verified_claims(rar_provider.base_url, granted["id_token"])
    access_token = verified_claims(rar_provider.base_url, granted["access_token"])

    assert id_token["authorization_details"] == details
    assert access_token["authorization_details"] == details


def test_introspection_has_details_as_a_top_level_member(granted, rar_provider):
    response = introspect(rar_provider.base_url, granted["access_token"])

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["active"] is True
    assert body["authorization_details"] == granted["authorization_details"]
    assert response.headers["cache-control"] == "no-store"


def test_introspection_of_a_token_resigned_unchanged_is_active(granted, rar_provider):
    """Control for the expiry test below: re-signing alone does not deactivate a token."""
    same = resign_with_provider_key(rar_provider.settings.database_url, granted["access_token"], {})

    assert introspect(rar_provider.base_url, same).json()["active"] is True


def test_introspection_of_an_expired_token_is_inactive(granted, rar_provider):
    claims = verified_claims(rar_provider.base_url, granted["access_token"])
    token = resign_with_provider_key(
        rar_provider.settings.database_url, granted["access_token"], expired(claims)
    )

    response = introspect(rar_provider.base_url, token)

    assert response.status_code == 200
    assert response.json() == {"active": False}


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "a.b.c",
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
        "x" * 20000,
    ],
    ids=["garbage", "three_dots", "alg_none", "huge"],
)
def test_introspection_of_unknown_tokens_is_inactive(rar_provider, token):
    response = introspect(rar_provider.base_url, token)

    assert response.status_code == 200
    assert response.json() == {"active": False}


def test_introspection_of_an_id_token_is_inactive(granted, rar_provider):
    response = introspect(rar_provider.base_url, granted["id_token"])

    assert response.json() == {"active": False}


@pytest.mark.parametrize("credentials", [None, ("confidential-service", "wrong-secret")])
def test_introspection_requires_client_authentication(granted, rar_provider, credentials):
    response = introspect(rar_provider.base_url, granted["access_token"], credentials)

    assert response.status_code == 401
    assert "authorization_details" not in response.text
    assert response.json()["error"] == "invalid_client"
