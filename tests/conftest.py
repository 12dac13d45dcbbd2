"""Fixtures shared by the whole suite: databases, a running provider, a login driver,
and the synthetic people of tests/fixtures."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.login_driver import LoginDriver
from tests.support.postgres import create_database, postgres_server
from tests.support.provider import RunningProvider, run_provider

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def testid_people() -> dict[str, str]:
    return json.loads((FIXTURES / "testid_people.json").read_text())


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ansattporten.db'}"


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> str:
    return create_database(postgres_admin_url)


@pytest.fixture(params=["sqlite", "postgres"])
def any_database_url(request: pytest.FixtureRequest) -> str:
    """Runs the test once on SQLite and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture
def provider(sqlite_url: str) -> Iterator[RunningProvider]:
    with run_provider(sqlite_url) as running:
        yield running


@pytest.fixture
def driver(provider: RunningProvider) -> Iterator[LoginDriver]:
    login = LoginDriver(provider.base_url)
    yield login
    login.close()
