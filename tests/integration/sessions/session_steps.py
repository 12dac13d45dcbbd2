"""Steps of the isolated-session tests over real HTTP: a login that authenticates, and
the answer /authorize gives a second request in the same browser."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.support.altinn_oracle import resource_detail
from tests.support.login_driver import LoginDriver
from tests.support.tokens import verified_claims

RESOURCE = "app_ttd_apps-test"
DETAILS = [resource_detail(RESOURCE)]


def authenticate(
    driver: LoginDriver,
    pid: str,
    orgno: str | None = None,
    *,
    acr: str = "idporten-loa-substantial",
    keep_session: bool = False,
    **params: Any,
) -> dict[str, Any]:
    """A login with the eID (and the picker, choosing `orgno`, when given); the
    verified id_token's claims."""
    details = DETAILS if orgno else None
    response = driver.login(driver.start(details, keep_session=keep_session, **params), pid, acr)
    if orgno:
        response = driver.choose(picker_of(response), parties=[orgno])
    return id_token_of(driver, response)


def id_token_of(driver: LoginDriver, response: httpx.Response) -> dict[str, Any]:
    """Redeem the code the response brings the service; the verified id_token's claims."""
    callback = driver.callback(response)
    assert callback["state"] == driver.state
    tokens = driver.redeem(callback["code"])
    assert tokens.status_code == 200, tokens.text
    return verified_claims(driver.base_url, tokens.json()["id_token"])


def picker_of(response: httpx.Response) -> str:
    """The organisation picker's URL a response sends the browser to."""
    assert response.status_code == 303, (response.status_code, response.text[:300])
    location = response.headers["location"]
    assert "/organisation/" in urlsplit(location).path, location
    return location


def where(response: httpx.Response) -> str:
    """Where /authorize sent the browser: "eid" (it must authenticate), "picker", or
    "service" (a code or an error for the service)."""
    assert response.status_code == 303, (response.status_code, response.text[:300])
    path = urlsplit(response.headers["location"]).path
    if path.startswith("/login/"):
        return "eid"
    if path.startswith("/organisation/"):
        return "picker"
    return "service"
