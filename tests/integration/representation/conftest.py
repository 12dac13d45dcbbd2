"""A provider with the Altinn source enabled, talking real HTTP to the mock Altinn
service serving the demo fixture."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from authz_sources.altinn.mock import DEMO_FIXTURE, create_mock_app
from tests.support.login_driver import LoginDriver
from tests.support.provider import RunningProvider, run_provider
from tests.support.servers import serve_in_thread

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="session")
def altinn_people() -> dict[str, str]:
    people = json.loads((FIXTURES / "altinn_people.json").read_text())
    return {role: pid for role, pid in people.items() if not role.startswith("_")}


@pytest.fixture(scope="session")
def altinn_demo() -> dict[str, object]:
    data: dict[str, object] = json.loads(DEMO_FIXTURE.read_text())
    return data


@pytest.fixture(scope="module")
def mock_altinn() -> Iterator[str]:
    with serve_in_thread(create_mock_app(DEMO_FIXTURE)) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def rar_provider(
    mock_altinn: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningProvider]:
    database = tmp_path_factory.mktemp("rar") / "ansattporten.db"
    with run_provider(
        f"sqlite:///{database}", {"sources": {"altinn": {"base_url": mock_altinn}}}
    ) as running:
        yield running


@pytest.fixture
def rar_driver(rar_provider: RunningProvider) -> Iterator[LoginDriver]:
    driver = LoginDriver(rar_provider.base_url)
    yield driver
    driver.close()
