"""Fixtures of the core provider tests: one provider per test module where the tests
cannot disturb each other, and login drivers that close themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.support.login_driver import LoginDriver
from tests.support.provider import RunningProvider, run_provider

MakeDriver = Callable[..., LoginDriver]

NO_RATE_LIMIT = {"rate_limit": False}


@pytest.fixture(scope="module")
def shared_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProvider]:
    """A provider on SQLite with the default settings, shared by one test module (whose
    many logins from one address would otherwise meet the login rate limit)."""
    database = tmp_path_factory.mktemp("core") / "ansattporten.db"
    with run_provider(f"sqlite:///{database}", NO_RATE_LIMIT) as running:
        yield running


@pytest.fixture
def make_driver(shared_provider: RunningProvider) -> Iterator[MakeDriver]:
    """`make_driver(client_id="...")`: a fresh browser and service for the shared
    provider; every driver made is closed after the test."""
    made: list[LoginDriver] = []

    def make(client_id: str = "confidential-service", base_url: str | None = None) -> LoginDriver:
        driver = LoginDriver(base_url or shared_provider.base_url, client_id=client_id)
        made.append(driver)
        return driver

    yield make
    for driver in made:
        driver.close()
