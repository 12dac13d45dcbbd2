"""Client secrets: only the exact secret authenticates, however close a guess is (equal
length, one character off at either end, other case) - and a correct secret verified a
moment before (the verification cache) does not make a near miss pass."""

from __future__ import annotations

import pytest

from ansattporten.secret_hashing import hash_secret, verify_secret
from tests.support.oauth_checks import assert_json_error
from tests.support.tokens import rows

SECRET = "confidential-secret-0123456789"
NEAR_MISSES = {
    "last_char": SECRET[:-1] + "8",
    "first_char": "C" + SECRET[1:],
    "middle_char": SECRET[:14] + "X" + SECRET[15:],
    "upper_case": SECRET.upper(),
    "swapped": SECRET[1] + SECRET[0] + SECRET[2:],
    "prefix": SECRET[:-1],
    "extended": SECRET + "0",
    "other_clients_secret_same_length": "confidential-secret-9876543210",
}
ENDPOINTS = ["/token", "/par", "/token/introspect", "/token/revoke"]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("guess", NEAR_MISSES)
def test_a_near_miss_secret_is_refused(make_driver, path, guess):
    driver = make_driver("confidential-service")
    assert len(NEAR_MISSES["last_char"]) == len(SECRET)
    # warm the verification cache with the right secret first
    assert driver.back_channel("/token/revoke", {"token": "x"}).status_code == 200

    response = driver.service.post(
        path,
        data={**driver.params(), "token": "x", "grant_type": "authorization_code", "code": "x"},
        auth=(driver.client_id, NEAR_MISSES[guess]),
    )

    assert_json_error(response, "invalid_client", 401)
    assert response.headers["www-authenticate"].lower().startswith("basic")


@pytest.mark.parametrize("guess", ["last_char", "first_char", "upper_case"])
def test_a_near_miss_is_refused_for_client_secret_post(make_driver, guess):
    driver = make_driver("post-service")
    secret = driver.secret or ""
    wrong = {"last_char": secret[:-1] + "X", "first_char": "X" + secret[1:]}.get(
        guess, secret.upper()
    )
    assert len(wrong) == len(secret)
    assert wrong != secret

    response = driver.service.post(
        "/token",
        data={
            "grant_type": "authorization_code",
            "code": "x",
            "client_id": driver.client_id,
            "client_secret": wrong,
        },
    )

    assert_json_error(response, "invalid_client", 401)


def test_the_hash_check_refuses_equal_length_guesses():
    stored = hash_secret(SECRET)
    assert verify_secret(SECRET, stored)

    for guess in NEAR_MISSES.values():
        assert not verify_secret(guess, stored), guess


def test_secrets_are_stored_hashed(sec_provider):
    found = rows(sec_provider.settings.database_url, "SELECT client_id, secret_hash FROM clients")
    stored = {row["client_id"]: row["secret_hash"] for row in found}

    assert stored["confidential-service"].startswith("scrypt$")
    assert SECRET not in "".join(value or "" for value in stored.values())
