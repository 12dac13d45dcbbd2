"""Access through roles, packages and delegations, end to end: the provider, the mock
Altinn and the mock Maskinporten as separate servers (tests/support/altinn_stack.py),
with the small purpose-built fixture tests/fixtures/altinn_paths.json."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.altinn_stack import AltinnStack, altinn_stack
from tests.support.login_driver import LoginDriver
from tests.support.maskinporten_keys import ClientKeys

PATHS_FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "altinn_paths.json"


@pytest.fixture(scope="session")
def client_keys(tmp_path_factory: pytest.TempPathFactory) -> ClientKeys:
    return ClientKeys(tmp_path_factory.mktemp("maskinporten-keys"))


@pytest.fixture(scope="session")
def paths_fixture() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PATHS_FIXTURE.read_text("utf-8"))
    return data


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, client_keys: ClientKeys, paths_fixture: dict[str, Any]
) -> Iterator[AltinnStack]:
    database = tmp_path_factory.mktemp("paths") / "ansattporten.db"
    with altinn_stack(f"sqlite:///{database}", paths_fixture, client_keys) as running:
        yield running


@pytest.fixture
def driver(stack: AltinnStack) -> Iterator[LoginDriver]:
    made = LoginDriver(stack.provider.base_url)
    yield made
    made.close()
