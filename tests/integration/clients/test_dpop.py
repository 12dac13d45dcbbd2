"""DPoP (RFC 9449), optional as in ID-porten: a proof at /token binds the access token
(`cnf.jkt`, token type DPoP) and a public client's refresh token to the client's key;
userinfo and introspection honour the binding; a bad, replayed or misplaced proof is
refused before anything is spent."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.clients.conftest import MakeDriver
from tests.support.dpop import DpopKey
from tests.support.login_driver import LoginDriver
from tests.support.oauth_checks import assert_json_error
from tests.support.provider import RunningProvider
from tests.support.tokens import introspect, verified_claims

PID = "45840375084"


def token_call(
    driver: LoginDriver, data: dict[str, str], proof: str | None = None
) -> httpx.Response:
    extra, auth = driver.client_auth()
    headers = {} if proof is None else {"DPoP": proof}
    return driver.service.post("/token", data={**data, **extra}, auth=auth, headers=headers)  # type: ignore[arg-type]


def redemption(driver: LoginDriver, code: str) -> dict[str, str]:
    return {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": driver.redirect_uri,
        "code_verifier": driver.verifier,
    }


def dpop_tokens(
    driver: LoginDriver, provider: RunningProvider, key: DpopKey, **login: Any
) -> dict[str, Any]:
    code = driver.login_for_code(PID, **login)
    proof = key.proof("POST", f"{provider.settings.issuer}/token")
    response = token_call(driver, redemption(driver, code), proof)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def refresh_call(
    driver: LoginDriver, provider: RunningProvider, token: str, key: DpopKey | None
) -> httpx.Response:
    proof = None if key is None else key.proof("POST", f"{provider.settings.issuer}/token")
    return token_call(driver, {"grant_type": "refresh_token", "refresh_token": token}, proof)


def userinfo_call(
    driver: LoginDriver,
    provider: RunningProvider,
    token: str,
    key: DpopKey | None,
    *,
    scheme: str = "DPoP",
    proof: str | None = None,
) -> httpx.Response:
    headers = {"Authorization": f"{scheme} {token}"}
    if proof is None and key is not None:
        proof = key.proof("GET", f"{provider.settings.issuer}/userinfo", access_token=token)
    if proof is not None:
        headers["DPoP"] = proof
    return driver.service.get("/userinfo", headers=headers)


def challenge_of(response: httpx.Response) -> str:
    assert response.status_code == 401, response.text
    return response.headers["www-authenticate"]


# the token endpoint -----------------------------------------------------------------------


def test_a_proof_binds_the_access_token_to_the_key(make_driver: MakeDriver, provider) -> None:
    key = DpopKey()

    tokens = dpop_tokens(make_driver("confidential-service"), provider, key)

    assert tokens["token_type"] == "DPoP"
    access = verified_claims(provider.base_url, tokens["access_token"])
    assert access["cnf"] == {"jkt": key.jkt}
    assert "cnf" not in verified_claims(provider.base_url, tokens["id_token"])


def test_without_a_proof_tokens_are_bearer_tokens(make_driver: MakeDriver, provider) -> None:
    driver = make_driver("confidential-service")

    tokens = token_call(driver, redemption(driver, driver.login_for_code(PID))).json()

    assert tokens["token_type"] == "Bearer"
    assert "cnf" not in verified_claims(provider.base_url, tokens["access_token"])


def bad_proofs(key: DpopKey, issuer: str) -> dict[str, str]:
    url = f"{issuer}/token"
    return {
        "wrong_method": key.proof("GET", url),
        "wrong_uri": key.proof("POST", f"{issuer}/userinfo"),
        "too_old": key.proof("POST", url, iat=1_700_000_000),
        "no_jti": key.proof("POST", url, jti=None),
        "wrong_typ": key.proof("POST", url, header={"typ": "JWT"}),
        "garbage": "not-a-proof",
    }


@pytest.mark.parametrize(
    "which", ["wrong_method", "wrong_uri", "too_old", "no_jti", "wrong_typ", "garbage"]
)
def test_a_bad_proof_is_refused_and_the_code_is_not_spent(
    make_driver: MakeDriver, provider, which: str
) -> None:
    driver = make_driver("confidential-service")
    key = DpopKey()
    code = driver.login_for_code(PID)

    refused = token_call(
        driver, redemption(driver, code), bad_proofs(key, provider.settings.issuer)[which]
    )

    assert_json_error(refused, "invalid_dpop_proof")
    good = key.proof("POST", f"{provider.settings.issuer}/token")
    assert token_call(driver, redemption(driver, code), good).status_code == 200


def test_a_replayed_proof_is_refused(make_driver: MakeDriver, provider) -> None:
    key = DpopKey()
    first, second = make_driver("confidential-service"), make_driver("confidential-service")
    proof = key.proof("POST", f"{provider.settings.issuer}/token")
    assert token_call(first, redemption(first, first.login_for_code(PID)), proof).status_code == 200

    replay = token_call(second, redemption(second, second.login_for_code(PID)), proof)

    assert_json_error(replay, "invalid_dpop_proof")


def test_two_dpop_headers_are_refused(make_driver: MakeDriver, provider) -> None:
    driver = make_driver("confidential-service")
    key = DpopKey()
    url = f"{provider.settings.issuer}/token"
    extra, auth = driver.client_auth()
    response = driver.service.post(
        "/token",
        data={**redemption(driver, driver.login_for_code(PID)), **extra},
        auth=auth,
        headers=[("DPoP", key.proof("POST", url)), ("DPoP", key.proof("POST", url))],
    )

    assert_json_error(response, "invalid_dpop_proof")


# userinfo and introspection ---------------------------------------------------------------


def test_userinfo_takes_a_bound_token_with_its_proof(make_driver: MakeDriver, provider) -> None:
    driver, key = make_driver("confidential-service"), DpopKey()
    token = dpop_tokens(driver, provider, key)["access_token"]

    response = userinfo_call(driver, provider, token, key)

    assert response.status_code == 200, response.text
    assert response.json()["sub"] == verified_claims(provider.base_url, token)["sub"]


def test_userinfo_takes_a_proof_for_post_too(make_driver: MakeDriver, provider) -> None:
    driver, key = make_driver("confidential-service"), DpopKey()
    token = dpop_tokens(driver, provider, key)["access_token"]
    proof = key.proof("POST", f"{provider.settings.issuer}/userinfo", access_token=token)

    response = driver.service.post(
        "/userinfo", headers={"Authorization": f"DPoP {token}", "DPoP": proof}
    )

    assert response.status_code == 200, response.text


def test_a_bound_token_is_no_bearer_token(make_driver: MakeDriver, provider) -> None:
    driver, key = make_driver("confidential-service"), DpopKey()
    token = dpop_tokens(driver, provider, key)["access_token"]

    response = userinfo_call(driver, provider, token, key, scheme="Bearer")

    assert challenge_of(response).startswith('Bearer error="invalid_token"')


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("no_proof", "invalid_dpop_proof"),
        ("another_key", "invalid_dpop_proof"),
        ("another_token", "invalid_dpop_proof"),
        ("wrong_method", "invalid_dpop_proof"),
        ("unbound_token", "invalid_token"),
    ],
)
def test_userinfo_refuses_what_does_not_prove_the_binding(
    make_driver: MakeDriver, provider, case: str, error: str
) -> None:
    driver, key = make_driver("confidential-service"), DpopKey()
    issuer = provider.settings.issuer
    token = dpop_tokens(driver, provider, key)["access_token"]
    if case == "unbound_token":
        other = make_driver("confidential-service")
        token = token_call(other, redemption(other, other.login_for_code(PID))).json()[
            "access_token"
        ]
    proofs = {
        "no_proof": None,
        "another_key": DpopKey().proof("GET", f"{issuer}/userinfo", access_token=token),
        "another_token": key.proof("GET", f"{issuer}/userinfo", access_token=token + "x"),
        "wrong_method": key.proof("POST", f"{issuer}/userinfo", access_token=token),
        "unbound_token": key.proof("GET", f"{issuer}/userinfo", access_token=token),
    }

    response = userinfo_call(driver, provider, token, None, proof=proofs[case])

    challenge = challenge_of(response)
    assert challenge.startswith(f'DPoP error="{error}"'), challenge
    assert 'algs="' in challenge
    assert response.json()["error"] == error


def test_a_proof_is_used_once_at_userinfo_too(make_driver: MakeDriver, provider) -> None:
    driver, key = make_driver("confidential-service"), DpopKey()
    token = dpop_tokens(driver, provider, key)["access_token"]
    proof = key.proof("GET", f"{provider.settings.issuer}/userinfo", access_token=token)
    assert userinfo_call(driver, provider, token, None, proof=proof).status_code == 200

    replay = userinfo_call(driver, provider, token, None, proof=proof)

    assert challenge_of(replay).startswith('DPoP error="invalid_dpop_proof"')


def test_introspection_tells_the_api_the_binding(make_driver: MakeDriver, provider) -> None:
    key = DpopKey()
    tokens = dpop_tokens(make_driver("confidential-service"), provider, key)

    body = introspect(provider.base_url, tokens["access_token"]).json()

    assert body["active"] is True
    assert body["token_type"] == "DPoP"
    assert body["cnf"] == {"jkt": key.jkt}


# refresh tokens ---------------------------------------------------------------------------


def test_a_public_client_holds_a_refresh_token_only_when_dpop_binds_it(
    make_driver: MakeDriver, provider
) -> None:
    driver, key = make_driver("dpop-spa"), DpopKey()
    plain = make_driver("dpop-spa")

    bound = dpop_tokens(driver, provider, key)
    unbound = token_call(plain, redemption(plain, plain.login_for_code(PID))).json()

    assert bound["refresh_token"]
    assert "refresh_token" not in unbound
    refreshed = refresh_call(driver, provider, bound["refresh_token"], key)
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["token_type"] == "DPoP"
    again = verified_claims(provider.base_url, refreshed.json()["access_token"])
    assert again["cnf"] == {"jkt": key.jkt}
    assert refresh_call(driver, provider, refreshed.json()["refresh_token"], key).status_code == 200


def test_a_public_clients_refresh_token_needs_its_key(make_driver: MakeDriver, provider) -> None:
    driver, key = make_driver("dpop-spa"), DpopKey()
    token = dpop_tokens(driver, provider, key)["refresh_token"]

    assert_json_error(refresh_call(driver, provider, token, DpopKey()), "invalid_grant")
    assert_json_error(refresh_call(driver, provider, token, None), "unauthorized_client")
    # neither attempt spent the token: its holder still refreshes
    assert refresh_call(driver, provider, token, key).status_code == 200


@pytest.mark.parametrize("with_dpop", [True, False])
def test_a_confidential_client_chooses_per_refresh(
    make_driver: MakeDriver, provider, with_dpop: bool
) -> None:
    """ID-porten: a client that authenticates may refresh with or without DPoP."""
    driver, key = make_driver("dpop-service"), DpopKey()
    token = dpop_tokens(driver, provider, key)["refresh_token"]

    refreshed = refresh_call(driver, provider, token, DpopKey() if with_dpop else None)

    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["token_type"] == ("DPoP" if with_dpop else "Bearer")


# a code bound to a key (RFC 9449 10) ------------------------------------------------------


def pushed_with_proof(driver: LoginDriver, provider: RunningProvider, key: DpopKey) -> str:
    extra, auth = driver.client_auth()
    proof = key.proof("POST", f"{provider.settings.issuer}/par")
    pushed = driver.service.post(
        "/par", data={**driver.params(), **extra}, auth=auth, headers={"DPoP": proof}
    )
    assert pushed.status_code == 201, pushed.text
    return str(pushed.json()["request_uri"])


def code_after_push(driver: LoginDriver, request_uri: str) -> str:
    started = driver.authorize({"client_id": driver.client_id, "request_uri": request_uri})
    callback = driver.callback(driver.login(started.headers["location"], PID))
    return callback["code"]


@pytest.mark.parametrize("binding", ["par_proof", "dpop_jkt"])
def test_a_bound_code_is_redeemed_only_with_its_key(
    make_driver: MakeDriver, provider, binding: str
) -> None:
    driver, key = make_driver("confidential-service"), DpopKey()
    if binding == "par_proof":
        code = code_after_push(driver, pushed_with_proof(driver, provider, key))
    else:
        code = driver.login_for_code(PID, via_par=False, dpop_jkt=key.jkt)
    issuer = provider.settings.issuer

    stranger = token_call(
        driver, redemption(driver, code), DpopKey().proof("POST", f"{issuer}/token")
    )

    assert_json_error(stranger, "invalid_grant")
    second = make_driver("confidential-service")
    if binding == "par_proof":
        code = code_after_push(second, pushed_with_proof(second, provider, key))
    else:
        code = second.login_for_code(PID, via_par=False, dpop_jkt=key.jkt)
    assert_json_error(token_call(second, redemption(second, code)), "invalid_grant")
    third = make_driver("confidential-service")
    code = code_after_push(third, pushed_with_proof(third, provider, key))
    owner = token_call(third, redemption(third, code), key.proof("POST", f"{issuer}/token"))
    assert owner.status_code == 200, owner.text


def test_dpop_jkt_and_the_pushed_proof_must_agree(make_driver: MakeDriver, provider) -> None:
    driver, key = make_driver("confidential-service"), DpopKey()
    extra, auth = driver.client_auth()
    proof = key.proof("POST", f"{provider.settings.issuer}/par")

    pushed = driver.service.post(
        "/par",
        data={**driver.params(dpop_jkt=DpopKey().jkt), **extra},
        auth=auth,
        headers={"DPoP": proof},
    )

    assert_json_error(pushed, "invalid_dpop_proof")


def test_a_malformed_dpop_jkt_is_refused(make_driver: MakeDriver) -> None:
    driver = make_driver("confidential-service")

    assert_json_error(driver.push(driver.params(dpop_jkt="not-a-thumbprint")), "invalid_request")


def test_discovery_names_the_proof_algorithms(provider: RunningProvider) -> None:
    metadata = httpx.get(f"{provider.base_url}/.well-known/openid-configuration").json()

    assert {"ES256", "RS256", "PS256"} <= set(metadata["dpop_signing_alg_values_supported"])
    assert not {"none", "HS256"} & set(metadata["dpop_signing_alg_values_supported"])
