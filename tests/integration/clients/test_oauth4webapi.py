"""oauth4webapi (npm), the strictest OAuth client we know, through a whole login with
representation: discovery, PAR with RAR, a JARM response (`query.jwt`), DPoP-bound
tokens, userinfo, refresh, introspection of the access and the refresh token, and
revocation - every request and every check the library's own. Run for a confidential
client (with and without server nonces) and a public one (whose refresh token DPoP
binds)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from authz_sources.altinn.mock import DEMO_FIXTURE, create_mock_app
from tests.support import altinn_oracle as oracle
from tests.support.js_clients import run_oauth4webapi
from tests.support.login_driver import LoginDriver
from tests.support.oauth_checks import sqlite_url_in
from tests.support.provider import RunningProvider, run_provider
from tests.support.representation import open_picker
from tests.support.servers import serve_in_thread

PID = "23865938772"  # tests/fixtures/altinn_people.json main_with_subunits
DETAILS = [oracle.resource_detail("app_ttd_apps-test")]
CLIENTS = {
    "o4w-service": {
        "client_secret": "o4w-secret-0123456789",
        "redirect_uris": ["http://o4w.test/callback"],
        "grant_types": ["authorization_code", "refresh_token"],
        "organization_number": "991825827",
    },
    "o4w-spa": {
        "redirect_uris": ["http://o4w-spa.test/callback"],
        "token_endpoint_auth_method": "none",
        "grant_types": ["authorization_code", "refresh_token"],
    },
}


@pytest.fixture(scope="module")
def altinn() -> Iterator[str]:
    with serve_in_thread(create_mock_app(DEMO_FIXTURE)) as base_url:
        yield base_url


@pytest.fixture(scope="module", params=[False, True], ids=["no_nonces", "dpop_nonces"])
def provider(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, altinn: str
) -> Iterator[RunningProvider]:
    overrides = {
        "clients": [{"client_id": name, **client} for name, client in CLIENTS.items()],
        "sources": {"altinn": {"base_url": altinn}},
        "rate_limit": False,
        "dpop_require_nonce": request.param,
    }
    with run_provider(sqlite_url_in(tmp_path_factory, "oauth4webapi"), overrides) as running:
        yield running


def person_at(provider: RunningProvider, client_id: str) -> Any:
    """The browser's part: log the person in and choose the first organisation."""
    client = CLIENTS[client_id]
    redirect_uri = client["redirect_uris"][0]
    registration = (client.get("client_secret"), redirect_uri, "unused")

    def browse(authorization_url: str) -> str:
        driver = LoginDriver(provider.base_url, client_id=client_id, registration=registration)
        try:
            started = driver.browser.get(authorization_url)
            assert started.status_code == 303, started.text
            picker = driver.login(started.headers["location"], PID)
            assert picker.status_code == 303, picker.text
            orgno = open_picker(driver, picker.headers["location"]).parties[0]
            done = driver.choose(picker.headers["location"], parties=[orgno])
            assert done.status_code == 303, done.text
            location: str = done.headers["location"]
            assert location.startswith(redirect_uri + "?"), location
            return location
        finally:
            driver.close()

    return browse


def config_for(provider: RunningProvider, client_id: str) -> dict[str, Any]:
    client = CLIENTS[client_id]
    config = {
        "issuer": provider.settings.issuer,
        "client_id": client_id,
        "redirect_uri": client["redirect_uris"][0],
        "authorization_details": DETAILS,
    }
    if "client_secret" in client:
        config["client_secret"] = client["client_secret"]
    return config


def test_a_confidential_client_through_every_step(provider: RunningProvider) -> None:
    results = run_oauth4webapi(
        config_for(provider, "o4w-service"), person_at(provider, "o4w-service")
    )

    assert "query.jwt" in results["discovery"]["response_modes_supported"]
    tokens = results["tokens"]
    assert tokens["token_type"].lower() == "dpop"
    assert tokens["has_refresh_token"]
    granted = tokens["authorization_details"]
    assert granted
    assert granted[0]["type"] == "ansattporten:altinn:resource"
    assert results["userinfo"]["sub"] == tokens["id_token_sub"]
    assert results["userinfo"]["pid"] == PID
    assert results["refreshed"]["token_type"].lower() == "dpop"
    assert results["refreshed"]["rotated"]
    assert results["refreshed"]["authorization_details"] == granted

    access = results["introspection"]["access"]
    assert access["active"] is True
    assert access["token_type"] == "DPoP"
    assert access["cnf"] == {"jkt": tokens["jkt"]}
    assert access["authorization_details"] == granted
    assert access["consumer"] == {"authority": "iso6523-actorid-upis", "ID": "0192:991825827"}
    refresh = results["introspection"]["refresh"]
    assert refresh["active"] is True
    assert refresh["token_type"] == "refresh_token"
    assert refresh["client_id"] == "o4w-service"
    assert refresh["authorization_details"] == granted
    assert refresh["exp"] > refresh["iat"]

    assert results["revoked"]["userinfo_refused"] is True
    assert results["revoked"]["introspection"] == {"active": False}


def test_a_public_client_holds_a_dpop_bound_refresh_token(provider: RunningProvider) -> None:
    results = run_oauth4webapi(config_for(provider, "o4w-spa"), person_at(provider, "o4w-spa"))

    assert results["tokens"]["token_type"].lower() == "dpop"
    assert results["tokens"]["has_refresh_token"]
    assert results["refreshed"]["rotated"]
    assert results["userinfo"]["pid"] == PID
    assert results["revoked"]["userinfo_refused"] is True
