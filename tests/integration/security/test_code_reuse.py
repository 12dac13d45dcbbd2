"""A code is redeemed once. Presented by anyone but its client with its proof, it is
refused and left as it is (a leaked code cannot be burned, nor its login revoked). The
same redemption retried within `token_retry_seconds` (a client that lost the answer)
gets the same tokens; used again later, the code has leaked: what the first redemption
got is revoked (RFC 6749 4.1.2, RFC 9700 4.5). docs/security.md gives the reasoning."""

from __future__ import annotations

import time

import pytest

from tests.integration.security.conftest import RETRY_SECONDS
from tests.integration.security.support import PID, token_is_alive
from tests.support.oauth_checks import assert_json_error

OWNERS = ["confidential-service", "refresh-service", "jwt-service"]


@pytest.mark.parametrize("client_id", OWNERS)
def test_a_retried_redemption_gets_the_same_tokens_and_revokes_nothing(make_driver, client_id):
    driver = make_driver(client_id)
    code = driver.login_for_code(PID)
    first = driver.redeem(code)  # the answer the client lost
    assert first.status_code == 200, first.text

    again = driver.redeem(code)

    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    assert again.headers["cache-control"] == "no-store"
    assert token_is_alive(driver, again.json()["access_token"])
    if "refresh_token" in first.json():
        assert driver.refresh(again.json()["refresh_token"]).status_code == 200


@pytest.mark.parametrize("client_id", OWNERS)
def test_a_code_used_again_later_revokes_the_tokens_of_the_first_redemption(
    make_late_driver, client_id
):
    driver = make_late_driver(client_id)
    code = driver.login_for_code(PID)
    first = driver.redeem(code)
    assert first.status_code == 200, first.text
    tokens = first.json()
    assert token_is_alive(driver, tokens["access_token"])
    time.sleep(RETRY_SECONDS + 0.2)

    second = driver.redeem(code)

    assert_json_error(second, "invalid_grant")
    assert driver.userinfo(tokens["access_token"]).status_code == 401
    assert not token_is_alive(driver, tokens["access_token"])
    if "refresh_token" in tokens:
        assert_json_error(driver.refresh(tokens["refresh_token"]), "invalid_grant")


@pytest.mark.parametrize("thief_id", ["second-service", "public-spa"])
def test_a_code_presented_by_another_client_gives_it_nothing_and_stays_its_owners(
    make_driver, thief_id
):
    """Not even a public client, which proves nothing but a client_id, can burn a leaked
    code or revoke the login it came from."""
    owner = make_driver("confidential-service")
    code = owner.login_for_code(PID)
    thief = make_driver(thief_id)
    thief.verifier = owner.verifier

    stolen = thief.redeem(code, redirect_uri=owner.redirect_uri)

    assert_json_error(stolen, "invalid_grant")
    assert "access_token" not in stolen.text
    redeemed = owner.redeem(code)
    assert redeemed.status_code == 200, redeemed.text
    assert token_is_alive(owner, redeemed.json()["access_token"])


@pytest.mark.parametrize(
    "change",
    [{"code_verifier": "wrong-" + "v" * 43}, {"redirect_uri": "http://service.test/other"}],
    ids=["wrong verifier", "wrong redirect_uri"],
)
def test_a_code_presented_without_its_proof_stays_redeemable(make_driver, change):
    driver = make_driver("confidential-service")
    code = driver.login_for_code(PID)

    assert_json_error(driver.redeem(code, **change), "invalid_grant")

    redeemed = driver.redeem(code)
    assert redeemed.status_code == 200, redeemed.text
    assert token_is_alive(driver, redeemed.json()["access_token"])


def test_an_unused_code_of_a_finished_login_is_not_revoked_by_a_wrong_code(make_driver):
    """Control: a wrong code does not disturb another login's tokens."""
    driver = make_driver("confidential-service")
    tokens = driver.tokens()

    assert_json_error(driver.redeem("not-the-code"), "invalid_grant")
    assert token_is_alive(driver, tokens["access_token"])
