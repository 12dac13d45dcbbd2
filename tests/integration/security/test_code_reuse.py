"""A code is redeemed once; a second redemption means the code leaked, so what the first
redemption got is revoked (RFC 6749 4.1.2, RFC 9700 4.5)."""

from __future__ import annotations

import pytest

from tests.integration.security.support import PID, token_is_alive
from tests.support.oauth_checks import assert_json_error


@pytest.mark.parametrize("client_id", ["confidential-service", "refresh-service", "jwt-service"])
def test_a_reused_code_revokes_the_tokens_of_the_first_redemption(make_driver, client_id):
    driver = make_driver(client_id)
    code = driver.login_for_code(PID)
    first = driver.redeem(code)
    assert first.status_code == 200, first.text
    tokens = first.json()
    assert token_is_alive(driver, tokens["access_token"])

    second = driver.redeem(code)

    assert_json_error(second, "invalid_grant")
    assert driver.userinfo(tokens["access_token"]).status_code == 401
    assert not token_is_alive(driver, tokens["access_token"])
    if "refresh_token" in tokens:
        assert_json_error(driver.refresh(tokens["refresh_token"]), "invalid_grant")


def test_a_code_presented_by_another_client_gives_it_nothing(make_driver):
    owner = make_driver("confidential-service")
    code = owner.login_for_code(PID)
    thief = make_driver("second-service")
    thief.verifier = owner.verifier

    stolen = thief.redeem(code, redirect_uri=owner.redirect_uri)

    assert_json_error(stolen, "invalid_grant")
    assert "access_token" not in stolen.text


def test_an_unused_code_of_a_finished_login_is_not_revoked_by_a_wrong_code(make_driver):
    """Control: a wrong code does not disturb another login's tokens."""
    driver = make_driver("confidential-service")
    tokens = driver.tokens()

    assert_json_error(driver.redeem("not-the-code"), "invalid_grant")
    assert token_is_alive(driver, tokens["access_token"])
