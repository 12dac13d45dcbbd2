"""Steps a broker takes against the mock ID-porten, over real HTTP."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet

from ansattporten.upstream_mocks.idporten.app import MockIdPorten
from tests.integration.upstream_mocks.conftest import BROKER_KEY, REDIRECT, SECRET, Browser
from tests.support.upstream_clients import assertion_form, client_assertion, pkce_pair

LARS = "23865938772"


@dataclass
class Started:
    url: str
    state: str
    nonce: str
    verifier: str


def start(
    mock: MockIdPorten,
    *,
    client_id: str = "basic-broker",
    acr_values: str = "idporten-loa-substantial",
    pushed: bool = False,
    **extra: str,
) -> Started:
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    params = {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": REDIRECT,
        "scope": "openid profile" if client_id != "public-broker" else "openid",
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "acr_values": acr_values,
        "ui_locales": "nb",
        **extra,
    }
    if pushed:
        response = httpx.post(f"{mock.issuer}/par", data=params, auth=(client_id, SECRET))
        assert response.status_code == 201, response.text
        params = {"client_id": client_id, "request_uri": response.json()["request_uri"]}
    url = str(httpx.URL(f"{mock.issuer}/authorize", params=params))
    return Started(url, state, nonce, verifier)


def log_in(browser: Browser, started: Started, choice: dict[str, str]) -> dict[str, str]:
    """Open the login page and submit `choice`; the query sent back to the client."""
    page = browser.open(started.url)
    assert isinstance(page, httpx.Response), page
    assert page.status_code == 200, page.text[:400]
    answer = browser.submit(str(page.url), {"locale": "nb", **choice})
    assert isinstance(answer, dict), answer.text[:400] if isinstance(answer, httpx.Response) else ""
    return answer


def national(pid: str = LARS, method: str = "bankid") -> dict[str, str]:
    return {"action": "national", "pid": pid, "method": method}


def eidas(identifier: str, level: str = "eidas-loa-substantial") -> dict[str, str]:
    return {"action": "eidas", "eidas_person": identifier, "level": level}


def redeem(
    mock: MockIdPorten,
    code: str,
    verifier: str,
    *,
    client_id: str = "basic-broker",
    how: str = "basic",
) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
    }
    auth: tuple[str, str] | None = None
    if how == "basic":
        auth = (client_id, SECRET)
    elif how == "post":
        form.update(client_id=client_id, client_secret=SECRET)
    elif how == "jwt":
        assertion = client_assertion(client_id, BROKER_KEY.as_dict(private=True), mock.issuer)
        form.update(assertion_form(client_id, assertion))
    else:
        form["client_id"] = client_id
    return httpx.post(f"{mock.issuer}/token", data=form, auth=auth)


def verify(mock: MockIdPorten, id_token: str) -> dict[str, Any]:
    keys = KeySet.import_key_set(httpx.get(f"{mock.issuer}/jwks.json").json())
    return dict(jwt.decode(id_token, keys, algorithms=["RS256"]).claims)


def full_login(
    mock: MockIdPorten, browser: Browser, choice: dict[str, str], **start_options: Any
) -> dict[str, Any]:
    started = start(mock, **start_options)
    answer = log_in(browser, started, choice)
    assert answer["state"] == started.state
    assert answer["iss"] == mock.issuer
    response = redeem(mock, answer["code"], started.verifier)
    assert response.status_code == 200, response.text
    claims = verify(mock, response.json()["id_token"])
    assert claims["nonce"] == started.nonce
    return claims
