"""A provider brokering the mock ID-porten and the mock Entra ID (with TestID beside
them), the Altinn source at the mock Altinn, and drivers that play the browser through
the selector, the upstream's pages and back."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ansattporten.upstream_mocks.faults import Faults
from authz_sources.altinn.mock import DEMO_FIXTURE, create_mock_app
from tests.support.eid_driver import EidDriver
from tests.support.eid_stack import EidStack, run_eid_stack
from tests.support.servers import serve_in_thread

RESOURCE = "urn:altinn:resource:app_ttd_apps-test"
ALTINN = [{"type": "ansattporten:altinn:resource", "resource": RESOURCE}]
REQUIRED = [{**ALTINN[0], "representation_is_required": True}]
LARS = "23865938772"
"""Daglig leder of an AS with sub-units in the mock Altinn; a Swedish eIDAS identity
matched to the same number."""
LARS_EIDAS = "SE/NO/195906231234"
JONAS_EIDAS = "DE/NO/7a3c9f4e2b1d8c6a5f0e"
"""A German eID the population register could not match: no Norwegian number."""
ALL = "idporten-loa-substantial eidas-loa-substantial entraid"

MakeDriver = Callable[..., EidDriver]


@pytest.fixture(scope="module")
def mock_altinn() -> Iterator[str]:
    with serve_in_thread(create_mock_app(DEMO_FIXTURE)) as base_url:
        yield base_url


@contextlib.contextmanager
def stack_for(
    tmp_path_factory: pytest.TempPathFactory, altinn: str, **options: Any
) -> Iterator[EidStack]:
    """Another stack, for tests that need other eID settings (`eids=...`)."""
    database = tmp_path_factory.mktemp("eids") / "ansattporten.db"
    overrides = {"sources": {"altinn": {"base_url": altinn}}, "rate_limit": False}
    overrides.update(options.pop("overrides", {}))
    with run_eid_stack(f"sqlite:///{database}", overrides, **options) as stack:
        yield stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, mock_altinn: str) -> Iterator[EidStack]:
    with stack_for(tmp_path_factory, mock_altinn) as running:
        yield running


@pytest.fixture(autouse=True)
def mocks_behave(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts and ends with the mocks' faults off."""
    yield
    if "stack" in request.fixturenames:
        running: EidStack = request.getfixturevalue("stack")
        running.idporten.faults = Faults()
        running.entra.faults = Faults()


@pytest.fixture
def make_driver(stack: EidStack) -> Iterator[MakeDriver]:
    made: list[EidDriver] = []

    def make(client_id: str = "confidential-service", base_url: str | None = None) -> EidDriver:
        driver = EidDriver(base_url or stack.provider, client_id=client_id)
        made.append(driver)
        return driver

    yield make
    for driver in made:
        driver.close()
