"""The whole code flow over real HTTP, on SQLite and on PostgreSQL:
PAR -> authorize -> TestID -> code -> token -> userinfo."""

from __future__ import annotations

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.support.login_driver import LoginDriver
from tests.support.provider import run_provider


def test_full_flow_with_par(any_database_url: str, testid_people: dict[str, str]) -> None:
    pid = testid_people["plain_employee"]
    with run_provider(any_database_url) as provider:
        driver = LoginDriver(provider.base_url)
        code = driver.login_for_code(pid)
        tokens = driver.redeem(code)
        assert tokens.status_code == 200, tokens.text
        assert tokens.headers["cache-control"] == "no-store"
        body = tokens.json()
        assert body["token_type"] == "Bearer"
        assert body["expires_in"] == 120
        assert "authorization_details" not in body

        keys = KeySet.import_key_set(httpx.get(f"{provider.base_url}/jwks.json").json())
        id_token = jwt.decode(body["id_token"], keys).claims
        assert id_token["iss"] == provider.base_url
        assert id_token["aud"] == "confidential-service"
        assert id_token["nonce"] == driver.nonce
        assert id_token["pid"] == pid
        assert id_token["sub"] != pid
        assert len(id_token["sub"]) == 43
        assert id_token["acr"] == "substantial"
        assert id_token["amr"] == ["TestID"]
        assert id_token["exp"] - id_token["iat"] == 120
        access = jwt.decode(body["access_token"], keys)
        assert access.header["typ"] == "at+jwt"
        assert access.claims["client_id"] == "confidential-service"
        assert access.claims["sub"] == id_token["sub"]

        info = driver.service.get(
            "/userinfo", headers={"Authorization": f"Bearer {body['access_token']}"}
        )
        assert info.status_code == 200
        assert info.json()["pid"] == pid
        assert info.json()["sub"] == id_token["sub"]
        driver.close()


def test_full_flow_without_par_and_form_post(
    driver: LoginDriver, testid_people: dict[str, str]
) -> None:
    login_url = driver.start(via_par=False, response_mode="form_post")
    response = driver.login(login_url, testid_people["plain_employee"])
    assert response.status_code == 200
    assert f'action="{driver.redirect_uri}"' in response.text
    assert 'name="code"' in response.text
    assert 'name="iss"' in response.text
