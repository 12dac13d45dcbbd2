"""A provider whose extra clients register what ID-porten's client registration
offers beyond the basics: an organisation number, a public subject type, browser
origins, a JWT-secured authorization response algorithm."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from joserfc.jwk import RSAKey

from tests.support.login_driver import LoginDriver
from tests.support.oauth_checks import sqlite_url_in
from tests.support.provider import RunningProvider, base_settings, run_provider

ORGNO = "991825827"
"""Digitaliseringsdirektoratet's organisation number, as in ID-porten's examples."""

JAR_KEY = RSAKey.generate_key(2048, parameters={"kid": "jar-1", "use": "sig"}, private=True)
"""The key jar-service signs its request objects with: made when the tests start, never
stored."""

EXTRA_CLIENTS: dict[str, dict[str, Any]] = {
    "jar-service": {
        "client_secret": "jar-secret-0123456789",
        "redirect_uris": ["http://jar.test/callback", "http://jar.test/other"],
        "jwks": {"keys": [dict(JAR_KEY.as_dict(private=False))]},
    },
    "orgno-service": {
        "client_secret": "orgno-secret-0123456789",
        "redirect_uris": ["http://orgno.test/callback"],
        "organization_number": ORGNO,
    },
    "public-sub-a": {
        "client_secret": "public-sub-a-secret-0123456789",
        "redirect_uris": ["http://public-a.test/callback"],
        "subject_type": "public",
    },
    "public-sub-b": {
        "redirect_uris": ["http://public-b.test/callback"],
        "token_endpoint_auth_method": "none",
        "subject_type": "public",
    },
    "browser-app": {
        "redirect_uris": ["https://app.test:8443/callback", "http://127.0.0.1:5173/cb"],
        "token_endpoint_auth_method": "none",
        "allowed_cors_origins": ["https://other.test", "HTTPS://Upper.Test:443"],
    },
    "dpop-spa": {
        "redirect_uris": ["http://dpop-spa.test/callback"],
        "token_endpoint_auth_method": "none",
        "grant_types": ["authorization_code", "refresh_token"],
    },
    "dpop-service": {
        "client_secret": "dpop-service-secret-0123456789",
        "redirect_uris": ["http://dpop-service.test/callback"],
        "grant_types": ["authorization_code", "refresh_token"],
    },
    "jarm-es256": {
        "client_secret": "jarm-es256-secret-0123456789",
        "redirect_uris": ["http://jarm.test/callback"],
        "authorization_signed_response_alg": "ES256",
    },
}

MakeDriver = Callable[[str], LoginDriver]


def registration(client_id: str) -> tuple[str | None, str, str]:
    client = EXTRA_CLIENTS[client_id]
    method = client.get("token_endpoint_auth_method", "client_secret_basic")
    return client.get("client_secret"), client["redirect_uris"][0], method


def client_settings() -> list[dict[str, Any]]:
    extra = [{"client_id": client_id, **client} for client_id, client in EXTRA_CLIENTS.items()]
    clients: list[dict[str, Any]] = base_settings()["clients"]
    return clients + extra


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProvider]:
    overrides = {"clients": client_settings(), "rate_limit": False}
    with run_provider(sqlite_url_in(tmp_path_factory, "clients"), overrides) as running:
        yield running


@pytest.fixture
def make_driver(provider: RunningProvider) -> Iterator[MakeDriver]:
    make, made = driver_factory(provider)
    yield make
    for driver in made:
        driver.close()


def driver_factory(provider: RunningProvider) -> tuple[MakeDriver, list[LoginDriver]]:
    made: list[LoginDriver] = []

    def make(client_id: str) -> LoginDriver:
        registered = registration(client_id) if client_id in EXTRA_CLIENTS else None
        driver = LoginDriver(provider.base_url, client_id=client_id, registration=registered)
        made.append(driver)
        return driver

    return make, made
