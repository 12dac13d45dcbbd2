"""Fixtures of the security tests: the session's client keys, a JWKS server for the
`jwks_uri` client, one provider per test module with every security client, and a
provider with the Altinn source (mock Altinn over real HTTP) for the RAR cases."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from authz_sources.altinn.mock import DEMO_FIXTURE, create_mock_app
from tests.integration.security.support import (
    ClientKeys,
    SecurityDriver,
    jwks_server,
    public_jwks,
    security_clients,
)
from tests.support.oauth_checks import sqlite_url_in
from tests.support.provider import RunningProvider, run_provider
from tests.support.servers import free_port, serve_in_thread

MakeDriver = Callable[..., SecurityDriver]
GENEROUS_LIMITS = {
    "login_attempts_per_minute": 100_000,
    "token_requests_per_minute": 100_000,
    "authorize_requests_per_minute": 100_000,
}
"""Every request of a module comes from 127.0.0.1; the rate-limit tests set their own."""


@pytest.fixture(scope="session")
def client_keys() -> ClientKeys:
    return ClientKeys.generate()


@pytest.fixture(scope="session")
def client_jwks_uri(client_keys: ClientKeys) -> Iterator[str]:
    """Where `jwt-uri-service` publishes its public key."""
    with jwks_server(public_jwks(client_keys.uri_rsa)) as url:
        yield url


@pytest.fixture(scope="session")
def make_settings(client_keys: ClientKeys, client_jwks_uri: str) -> Callable[..., dict[str, Any]]:
    """Provider overrides with every security client (and generous rate limits)."""
    dead = f"http://127.0.0.1:{free_port()}/jwks.json"

    def make(**overrides: Any) -> dict[str, Any]:
        clients = security_clients(client_keys, jwks_uri=client_jwks_uri, dead_jwks_uri=dead)
        # the JWKS servers of the tests listen on loopback, which a provider refuses to
        # fetch from unless told (test_jwks_uri.py checks the refusal)
        loopback = {"jwks_uri_allowed_networks": ["127.0.0.0/8"]}
        return {"clients": clients, **GENEROUS_LIMITS, **loopback, **overrides}

    return make


@pytest.fixture(scope="module")
def sec_provider(
    tmp_path_factory: pytest.TempPathFactory, make_settings: Callable[..., dict[str, Any]]
) -> Iterator[RunningProvider]:
    """A provider on SQLite with every security client, shared by one test module."""
    with run_provider(sqlite_url_in(tmp_path_factory, "security"), make_settings()) as running:
        yield running


def driver_factory(
    provider: RunningProvider, keys: ClientKeys
) -> tuple[Callable[..., SecurityDriver], list[SecurityDriver]]:
    made: list[SecurityDriver] = []

    def make(client_id: str = "confidential-service") -> SecurityDriver:
        driver = SecurityDriver(provider.base_url, client_id=client_id, keys=keys)
        made.append(driver)
        return driver

    return make, made


@pytest.fixture
def make_driver(sec_provider: RunningProvider, client_keys: ClientKeys) -> Iterator[MakeDriver]:
    make, made = driver_factory(sec_provider, client_keys)
    yield make
    for driver in made:
        driver.close()


RETRY_SECONDS = 1
"""The retry window (`token_retry_seconds`) of `late_provider`, short enough to wait out."""


@pytest.fixture(scope="module")
def late_provider(
    tmp_path_factory: pytest.TempPathFactory, make_settings: Callable[..., dict[str, Any]]
) -> Iterator[RunningProvider]:
    """Every security client, and a retry window of `RETRY_SECONDS`: what a code or a
    refresh token used again after the window does."""
    url = sqlite_url_in(tmp_path_factory, "security-late")
    with run_provider(url, make_settings(token_retry_seconds=RETRY_SECONDS)) as running:
        yield running


@pytest.fixture
def make_late_driver(
    late_provider: RunningProvider, client_keys: ClientKeys
) -> Iterator[MakeDriver]:
    make, made = driver_factory(late_provider, client_keys)
    yield make
    for driver in made:
        driver.close()


@pytest.fixture(scope="module")
def mock_altinn() -> Iterator[str]:
    with serve_in_thread(create_mock_app(DEMO_FIXTURE)) as base_url:
        yield base_url


def altinn_overrides(
    make_settings: Callable[..., dict[str, Any]], altinn_url: str, **more: Any
) -> Mapping[str, Any]:
    return make_settings(sources={"altinn": {"base_url": altinn_url}}, **more)


@pytest.fixture(scope="module")
def rar_provider(
    tmp_path_factory: pytest.TempPathFactory,
    make_settings: Callable[..., dict[str, Any]],
    mock_altinn: str,
) -> Iterator[RunningProvider]:
    """Every security client, and the Altinn source asking the mock Altinn."""
    url = sqlite_url_in(tmp_path_factory, "security-rar")
    with run_provider(url, altinn_overrides(make_settings, mock_altinn)) as running:
        yield running


@pytest.fixture
def make_rar_driver(rar_provider: RunningProvider, client_keys: ClientKeys) -> Iterator[MakeDriver]:
    make, made = driver_factory(rar_provider, client_keys)
    yield make
    for driver in made:
        driver.close()
