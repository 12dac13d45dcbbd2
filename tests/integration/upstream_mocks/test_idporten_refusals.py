"""What the mock ID-porten refuses, over real HTTP: requests without PKCE or from unknown
clients, PAR without client authentication, misused request_uris, bad client
assertions, reused codes, wrong verifiers; and what a test can make it do: rotate its
key, sign with an unknown key, answer as another issuer, be down."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from ansattporten.upstream_mocks.faults import Faults
from ansattporten.upstream_mocks.idporten.app import MockIdPorten
from tests.integration.upstream_mocks.conftest import BROKER_KEY, REDIRECT, SECRET
from tests.integration.upstream_mocks.idporten_steps import (
    log_in,
    national,
    redeem,
    start,
    verify,
)
from tests.support.upstream_clients import assertion_form, client_assertion, pkce_pair

Make = Any


def authorize_params(**overrides: str) -> dict[str, str]:
    _, challenge = pkce_pair()
    return {
        "client_id": "basic-broker", "response_type": "code", "redirect_uri": REDIRECT,
        "scope": "openid", "state": "s1", "nonce": "n1", "code_challenge": challenge,
        "code_challenge_method": "S256", **overrides,
    }  # fmt: skip


def location_query(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 303, response.text[:300]
    location = httpx.URL(response.headers["location"])
    assert str(location).startswith(REDIRECT)
    return dict(location.params)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": "short"}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "profile"}, "invalid_scope"),
        ({"acr_values": "Level4"}, "invalid_request"),
        ({"acr_values": "eidas-loa-substantial eidas-loa-high"}, "invalid_request"),
        ({"prompt": "none"}, "login_required"),
    ],
)
def test_bad_requests_go_back_with_error_state_and_iss(
    idporten: MockIdPorten, overrides: dict[str, str], error: str
) -> None:
    response = httpx.get(f"{idporten.issuer}/authorize", params=authorize_params(**overrides))
    query = location_query(response)
    assert query["error"] == error
    assert (query["state"], query["iss"]) == ("s1", idporten.issuer)


def test_missing_pkce_goes_back_with_invalid_request(idporten: MockIdPorten) -> None:
    params = authorize_params()
    del params["code_challenge"], params["code_challenge_method"]
    query = location_query(httpx.get(f"{idporten.issuer}/authorize", params=params))
    assert query["error"] == "invalid_request"


@pytest.mark.parametrize(
    "overrides", [{"client_id": "stranger"}, {"redirect_uri": "https://evil.example/cb"}]
)
def test_an_untrusted_redirect_gets_a_page_not_a_redirect(
    idporten: MockIdPorten, overrides: dict[str, str]
) -> None:
    response = httpx.get(f"{idporten.issuer}/authorize", params=authorize_params(**overrides))
    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in response.headers


def test_par_requires_client_authentication(idporten: MockIdPorten) -> None:
    params = authorize_params()
    anonymous = httpx.post(f"{idporten.issuer}/par", data=params)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"] == "invalid_client"
    wrong = httpx.post(f"{idporten.issuer}/par", data=params, auth=("basic-broker", "nope"))
    assert wrong.status_code == 401
    other_method = httpx.post(
        f"{idporten.issuer}/par", data={**params, "client_secret": SECRET}
    )  # basic-broker is registered for client_secret_basic
    assert other_method.status_code == 401


def test_par_refuses_a_bad_request_in_json(idporten: MockIdPorten) -> None:
    params = authorize_params(code_challenge_method="plain")
    response = httpx.post(f"{idporten.issuer}/par", data=params, auth=("basic-broker", SECRET))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_par_with_private_key_jwt(idporten: MockIdPorten) -> None:
    assertion = client_assertion("jwt-broker", BROKER_KEY.as_dict(private=True), idporten.issuer)
    params = {**authorize_params(client_id="jwt-broker"), **assertion_form("jwt-broker", assertion)}
    response = httpx.post(f"{idporten.issuer}/par", data=params)
    assert response.status_code == 201, response.text
    assert response.json()["request_uri"].startswith("urn:idporten:")
    assert response.json()["expires_in"] == 120


def test_a_request_uri_is_used_once_and_alone(idporten: MockIdPorten, browser_for: Make) -> None:
    pushed = httpx.post(
        f"{idporten.issuer}/par", data=authorize_params(), auth=("basic-broker", SECRET)
    ).json()
    uri = {"client_id": "basic-broker", "request_uri": pushed["request_uri"]}
    first = httpx.get(f"{idporten.issuer}/authorize", params=uri)
    assert first.status_code == 303
    assert first.headers["location"].startswith("/login/")
    second = httpx.get(f"{idporten.issuer}/authorize", params=uri)
    assert second.status_code == 400
    pushed = httpx.post(
        f"{idporten.issuer}/par", data=authorize_params(), auth=("basic-broker", SECRET)
    ).json()
    repeated = httpx.get(
        f"{idporten.issuer}/authorize",
        params={"client_id": "basic-broker", "request_uri": pushed["request_uri"], "scope": "x"},
    )
    assert location_query(repeated)["error"] == "invalid_request"
    pushed = httpx.post(
        f"{idporten.issuer}/par", data=authorize_params(), auth=("basic-broker", SECRET)
    ).json()
    other_client = httpx.get(
        f"{idporten.issuer}/authorize",
        params={"client_id": "post-broker", "request_uri": pushed["request_uri"]},
    )
    assert other_client.status_code == 400


def test_codes_are_single_use_and_pkce_bound(idporten: MockIdPorten, browser_for: Make) -> None:
    started = start(idporten)
    answer = log_in(browser_for(idporten.issuer), started, national())
    wrong = redeem(idporten, answer["code"], pkce_pair()[0])
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    again = redeem(idporten, answer["code"], started.verifier)  # consumed by the failed try
    assert again.json()["error"] == "invalid_grant"
    started = start(idporten)
    answer = log_in(browser_for(idporten.issuer), started, national())
    assert redeem(idporten, answer["code"], started.verifier).status_code == 200
    assert redeem(idporten, answer["code"], started.verifier).json()["error"] == "invalid_grant"


def test_a_code_is_bound_to_its_client(idporten: MockIdPorten, browser_for: Make) -> None:
    started = start(idporten)
    answer = log_in(browser_for(idporten.issuer), started, national())
    stolen = redeem(idporten, answer["code"], started.verifier, client_id="post-broker", how="post")
    assert stolen.json()["error"] == "invalid_grant"


def test_client_secret_post(idporten: MockIdPorten, browser_for: Make) -> None:
    started = start(idporten, client_id="post-broker")
    answer = log_in(browser_for(idporten.issuer), started, national())
    response = redeem(idporten, answer["code"], started.verifier, client_id="post-broker",
                      how="post")  # fmt: skip
    assert response.status_code == 200, response.text


def jwt_login(idporten: MockIdPorten, browser_for: Make) -> tuple[str, str]:
    started = start(idporten, client_id="jwt-broker")
    answer = log_in(browser_for(idporten.issuer), started, national())
    return answer["code"], started.verifier


def token_with_assertion(
    idporten: MockIdPorten, code: str, verifier: str, assertion: str
) -> httpx.Response:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
            "code_verifier": verifier, **assertion_form("jwt-broker", assertion)}  # fmt: skip
    return httpx.post(f"{idporten.issuer}/token", data=form)


def test_private_key_jwt_with_the_issuer_as_audience(
    idporten: MockIdPorten, browser_for: Make
) -> None:
    code, verifier = jwt_login(idporten, browser_for)
    good = client_assertion("jwt-broker", BROKER_KEY.as_dict(private=True), idporten.issuer)
    response = token_with_assertion(idporten, code, verifier, good)
    assert response.status_code == 200, response.text
    replayed = token_with_assertion(idporten, *jwt_login(idporten, browser_for), good)
    assert replayed.status_code == 401


@pytest.mark.parametrize(
    "bad",
    [
        {"audience": "token-endpoint"},
        {"key": "stranger"},
        {"lifetime": -10},
        {"lifetime": 3600},
        {"sub": "basic-broker"},
    ],
)
def test_bad_client_assertions_are_invalid_client(
    idporten: MockIdPorten, browser_for: Make, bad: dict[str, Any]
) -> None:
    code, verifier = jwt_login(idporten, browser_for)
    key = BROKER_KEY.as_dict(private=True)
    if bad.get("key") == "stranger":
        key = RSAKey.generate_key(2048, parameters={"kid": "broker-1"}).as_dict(private=True)
    audience = f"{idporten.issuer}/token" if bad.get("audience") else idporten.issuer
    extra = {"sub": bad["sub"]} if "sub" in bad else {}
    assertion = client_assertion(
        "jwt-broker", key, audience, lifetime=bad.get("lifetime", 60), **extra
    )
    response = token_with_assertion(idporten, code, verifier, assertion)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_key_rotation(idporten: MockIdPorten, browser_for: Make) -> None:
    started = start(idporten)
    answer = log_in(browser_for(idporten.issuer), started, national())
    before = redeem(idporten, answer["code"], started.verifier).json()["id_token"]
    old_kid = idporten.keys.active_kid
    new_kid = idporten.keys.rotate()
    published = {k["kid"] for k in httpx.get(f"{idporten.issuer}/jwks.json").json()["keys"]}
    assert {old_kid, new_kid} <= published
    started = start(idporten)
    answer = log_in(browser_for(idporten.issuer), started, national())
    after = redeem(idporten, answer["code"], started.verifier).json()["id_token"]
    assert jwt.decode(after, _jwks(idporten)).header["kid"] == new_kid
    verify(idporten, before)  # the old key is still published
    idporten.keys.rotate(keep_previous=False)
    with pytest.raises(JoseError):
        verify(idporten, before)


def _jwks(idporten: MockIdPorten) -> KeySet:
    return KeySet.import_key_set(httpx.get(f"{idporten.issuer}/jwks.json").json())


@pytest.mark.parametrize(
    ("faults", "check"),
    [
        (
            Faults(id_token_issuer="https://idporten.no"),
            lambda c: c["iss"] == "https://idporten.no",
        ),
        (Faults(id_token_nonce="replayed"), lambda c: c["nonce"] == "replayed"),
        (Faults(id_token_audience="someone-else"), lambda c: c["aud"] == "someone-else"),
        (Faults(id_token_expired=True), lambda c: c["exp"] < time.time()),
    ],
)
def test_faults_change_the_id_token(
    idporten: MockIdPorten, browser_for: Make, faults: Faults, check: Any
) -> None:
    started = start(idporten)
    answer = log_in(browser_for(idporten.issuer), started, national())
    idporten.faults = faults
    id_token = redeem(idporten, answer["code"], started.verifier).json()["id_token"]
    claims = jwt.decode(id_token, _jwks(idporten)).claims
    assert check(claims)


def test_fault_unpublished_key(idporten: MockIdPorten, browser_for: Make) -> None:
    started = start(idporten)
    answer = log_in(browser_for(idporten.issuer), started, national())
    idporten.faults = Faults(sign_with_unpublished_key=True)
    token = redeem(idporten, answer["code"], started.verifier).json()["id_token"]
    with pytest.raises(JoseError):
        verify(idporten, token)


def test_fault_response_issuer(idporten: MockIdPorten, browser_for: Make) -> None:
    idporten.faults = Faults(response_issuer="https://login.microsoftonline.com/x/v2.0")
    answer = log_in(browser_for(idporten.issuer), start(idporten), national())
    assert answer["iss"] == "https://login.microsoftonline.com/x/v2.0"
    idporten.faults = Faults(omit_response_issuer=True)
    answer = log_in(browser_for(idporten.issuer), start(idporten), national())
    assert "iss" not in answer
    assert "code" in answer


def test_fault_unavailable(idporten: MockIdPorten) -> None:
    idporten.faults = Faults(unavailable=True)
    for path in ("/.well-known/openid-configuration", "/jwks.json"):
        response = httpx.get(f"{idporten.issuer}{path}")
        assert response.status_code == 503
        assert response.json()["error"] == "temporarily_unavailable"
    page = httpx.get(f"{idporten.issuer}/authorize", params=authorize_params())
    assert page.status_code == 503
    assert page.headers["content-type"].startswith("text/html")


def test_fault_delay(idporten: MockIdPorten) -> None:
    idporten.faults = Faults(delay_seconds=0.5)
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{idporten.issuer}/jwks.json", timeout=0.2)
