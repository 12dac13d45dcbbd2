"""JWT-secured authorization responses (JARM): with `response_mode` `query.jwt`,
`form_post.jwt` or `jwt` the code (or the error) and `state` come back inside one JWT,
`response`, signed with the provider's published key in the client's registered
algorithm, with `iss`, `aud` and `exp`."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from joserfc import jws

from tests.integration.clients.conftest import MakeDriver
from tests.support.login_driver import LoginDriver, forms_of, query_of
from tests.support.oauth_checks import form_post_params, redirect_params
from tests.support.provider import RunningProvider
from tests.support.tokens import verified_claims

PID = "45840375084"


def response_jwt(provider: RunningProvider, driver: LoginDriver, jwt: str) -> dict[str, Any]:
    claims = verified_claims(provider.base_url, jwt)
    now = time.time()
    assert claims["iss"] == provider.settings.issuer
    assert claims["aud"] == driver.client_id
    assert now - 5 <= claims["iat"] <= now + 1
    assert now < claims["exp"] <= now + 600
    assert claims["state"] == driver.state
    return claims


def only_response(params: dict[str, str]) -> str:
    """The JWT is all that travels: no plain code, state or iss beside it."""
    assert set(params) == {"response"}, params
    return params["response"]


@pytest.mark.parametrize(("mode", "via_par"), [("query.jwt", True), ("jwt", False)])
def test_the_code_comes_back_signed_in_the_query(
    make_driver: MakeDriver, provider: RunningProvider, mode: str, via_par: bool
) -> None:
    driver = make_driver("confidential-service")
    done = driver.login(driver.start(response_mode=mode, via_par=via_par), PID)

    claims = response_jwt(
        provider, driver, only_response(redirect_params(done, driver.redirect_uri))
    )

    assert (
        jws.extract_compact(only_response(query_of(done.headers["location"])).encode()).headers()[
            "alg"
        ]
        == "RS256"
    )
    redeemed = driver.redeem(claims["code"])
    assert redeemed.status_code == 200, redeemed.text


def test_form_post_jwt_posts_the_signed_response(
    make_driver: MakeDriver, provider: RunningProvider
) -> None:
    driver = make_driver("confidential-service")
    page = driver.login(driver.start(response_mode="form_post.jwt"), PID)

    claims = response_jwt(
        provider, driver, only_response(form_post_params(page, driver.redirect_uri))
    )

    assert driver.redeem(claims["code"]).status_code == 200


def test_the_client_registered_algorithm_signs(
    make_driver: MakeDriver, provider: RunningProvider
) -> None:
    driver = make_driver("jarm-es256")
    done = driver.login(driver.start(response_mode="query.jwt"), PID)
    jwt = only_response(redirect_params(done, driver.redirect_uri))

    assert jws.extract_compact(jwt.encode()).headers()["alg"] == "ES256"
    assert response_jwt(provider, driver, jwt)["code"]


def test_a_cancelled_login_comes_back_as_a_signed_error(
    make_driver: MakeDriver, provider: RunningProvider
) -> None:
    driver = make_driver("confidential-service")
    login_url = driver.start(response_mode="query.jwt")
    page = driver.browser.get(login_url)
    cancel = next(form for form in forms_of(page.text) if form.action.endswith("/cancel"))

    done = driver.browser.post(cancel.action, data=cancel.fields)

    claims = response_jwt(
        provider, driver, only_response(redirect_params(done, driver.redirect_uri))
    )
    assert claims["error"] == "access_denied"
    assert claims["error_description"]
    assert "code" not in claims


def test_a_refused_request_comes_back_as_a_signed_error(
    make_driver: MakeDriver, provider: RunningProvider
) -> None:
    driver = make_driver("confidential-service")

    done = driver.authorize(driver.params(response_mode="query.jwt", scope="openid unknown"))

    claims = response_jwt(
        provider, driver, only_response(redirect_params(done, driver.redirect_uri))
    )
    assert claims["error"] == "invalid_scope"


def test_discovery_offers_the_jwt_response_modes(provider: RunningProvider) -> None:
    metadata = httpx.get(f"{provider.base_url}/.well-known/openid-configuration").json()

    assert {"query", "form_post", "query.jwt", "form_post.jwt", "jwt"} <= set(
        metadata["response_modes_supported"]
    )
    assert {"RS256", "ES256"} <= set(metadata["authorization_signing_alg_values_supported"])
