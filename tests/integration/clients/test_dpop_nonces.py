"""Server nonces (RFC 9449 8), when the operator requires them: a proof without the
provider's current nonce is answered `use_dpop_nonce` with a `DPoP-Nonce` to use, at
/token (400) and at userinfo (401, DPoP challenge); every instance issues and accepts
the same nonces and sees every proof's jti, through the database they share."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.integration.clients.conftest import MakeDriver, client_settings, driver_factory
from tests.integration.clients.test_dpop import redemption, token_call
from tests.support.dpop import DpopKey
from tests.support.login_driver import LoginDriver
from tests.support.oauth_checks import assert_json_error
from tests.support.provider import RunningProvider, run_provider

PID = "45840375084"
NONCES = {"clients": client_settings(), "rate_limit": False, "dpop_require_nonce": True}


@pytest.fixture(scope="module")
def nonce_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProvider]:
    database = tmp_path_factory.mktemp("nonces") / "ansattporten.db"
    with run_provider(f"sqlite:///{database}", NONCES) as running:
        yield running


@pytest.fixture
def make_nonce_driver(nonce_provider: RunningProvider) -> Iterator[MakeDriver]:
    make, made = driver_factory(nonce_provider)
    yield make
    for driver in made:
        driver.close()


def token_url(provider: RunningProvider) -> str:
    return f"{provider.settings.issuer}/token"


def test_token_asks_for_a_nonce_then_takes_the_proof_with_it(
    make_nonce_driver: MakeDriver, nonce_provider: RunningProvider
) -> None:
    driver, key = make_nonce_driver("confidential-service"), DpopKey()
    code = driver.login_for_code(PID)

    asked = token_call(
        driver, redemption(driver, code), key.proof("POST", token_url(nonce_provider))
    )

    assert_json_error(asked, "use_dpop_nonce")
    nonce = asked.headers["dpop-nonce"]
    proof = key.proof("POST", token_url(nonce_provider), nonce=nonce)
    answered = token_call(driver, redemption(driver, code), proof)
    assert answered.status_code == 200, answered.text
    assert answered.json()["token_type"] == "DPoP"
    assert answered.headers["dpop-nonce"]


def test_a_retried_redemption_carries_a_fresh_nonce_too(
    make_nonce_driver: MakeDriver, nonce_provider: RunningProvider
) -> None:
    """A client that lost the first answer and retries gets the same tokens, and, like
    every answer of /token, the nonce to use next (RFC 9449 8.2)."""
    driver, key = make_nonce_driver("confidential-service"), DpopKey()
    code = driver.login_for_code(PID)
    asked = token_call(
        driver, redemption(driver, code), key.proof("POST", token_url(nonce_provider))
    )
    first_proof = key.proof("POST", token_url(nonce_provider), nonce=asked.headers["dpop-nonce"])
    first = token_call(driver, redemption(driver, code), first_proof)
    assert first.status_code == 200, first.text

    retry_proof = key.proof("POST", token_url(nonce_provider), nonce=first.headers["dpop-nonce"])
    again = token_call(driver, redemption(driver, code), retry_proof)

    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    assert again.headers["dpop-nonce"]
    assert again.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("nonce", ["made-up", "1.AAAA", "0.x"])
def test_a_nonce_the_provider_did_not_issue_is_refused(
    make_nonce_driver: MakeDriver, nonce_provider: RunningProvider, nonce: str
) -> None:
    driver, key = make_nonce_driver("confidential-service"), DpopKey()
    proof = key.proof("POST", token_url(nonce_provider), nonce=nonce)

    refused = token_call(driver, redemption(driver, driver.login_for_code(PID)), proof)

    assert_json_error(refused, "use_dpop_nonce")


def test_userinfo_asks_for_the_nonce_with_a_dpop_challenge(
    make_nonce_driver: MakeDriver, nonce_provider: RunningProvider
) -> None:
    driver, key = make_nonce_driver("confidential-service"), DpopKey()
    asked = token_call(
        driver,
        redemption(driver, driver.login_for_code(PID)),
        key.proof("POST", token_url(nonce_provider)),
    )
    nonce = asked.headers["dpop-nonce"]
    proof = key.proof("POST", token_url(nonce_provider), nonce=nonce)
    token = token_call(driver, redemption(driver, driver.login_for_code(PID)), proof).json()[
        "access_token"
    ]
    url = f"{nonce_provider.settings.issuer}/userinfo"

    without = driver.service.get(
        "/userinfo",
        headers={
            "Authorization": f"DPoP {token}",
            "DPoP": key.proof("GET", url, access_token=token),
        },
    )
    assert without.status_code == 401
    assert without.headers["www-authenticate"].startswith('DPoP error="use_dpop_nonce"')
    fresh = without.headers["dpop-nonce"]
    with_nonce = driver.service.get(
        "/userinfo",
        headers={
            "Authorization": f"DPoP {token}",
            "DPoP": key.proof("GET", url, access_token=token, nonce=fresh),
        },
    )
    assert with_nonce.status_code == 200, with_nonce.text


def test_requests_without_dpop_need_no_nonce(
    make_nonce_driver: MakeDriver, nonce_provider: RunningProvider
) -> None:
    driver = make_nonce_driver("confidential-service")

    response = token_call(driver, redemption(driver, driver.login_for_code(PID)))

    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "Bearer"


def test_two_instances_share_nonces_and_remember_each_others_proofs(
    any_database_url: str,
) -> None:
    """One instance's nonce works at the other; a proof used at one is refused at the
    other, which shares the issuer (the proof names the issuer's URL) and the database."""
    with run_provider(any_database_url, NONCES) as first:
        issuer = first.settings.issuer
        with run_provider(any_database_url, {**NONCES, "issuer": issuer}) as second:
            key = DpopKey()
            at_first = LoginDriver(first.base_url)
            at_second = LoginDriver(second.base_url)
            try:
                asked = token_call(
                    at_first,
                    redemption(at_first, at_first.login_for_code(PID)),
                    key.proof("POST", f"{issuer}/token"),
                )
                proof = key.proof("POST", f"{issuer}/token", nonce=asked.headers["dpop-nonce"])
                code = at_second.login_for_code(PID)
                used = token_call(at_second, redemption(at_second, code), proof)
                assert used.status_code == 200, used.text
                replayed = token_call(
                    at_first, redemption(at_first, at_first.login_for_code(PID)), proof
                )
                assert_json_error(replayed, "invalid_dpop_proof")
                assert "used before" in replayed.json()["error_description"]
            finally:
                at_first.close()
                at_second.close()


def test_the_nonce_header_is_readable_by_a_browser_app(nonce_provider: RunningProvider) -> None:
    response = httpx.post(
        f"{nonce_provider.base_url}/token",
        data={"grant_type": "refresh_token", "refresh_token": "x", "client_id": "browser-app"},
        headers={
            "Origin": "https://app.test:8443",
            "DPoP": DpopKey().proof("POST", token_url(nonce_provider)),
        },
    )

    assert_json_error(response, "use_dpop_nonce")
    assert "dpop-nonce" in response.headers["access-control-expose-headers"].lower()
