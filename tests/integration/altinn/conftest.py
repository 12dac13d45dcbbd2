"""Shared fixtures: the mock Altinn served over real HTTP, sources pointed at it, and an
independent reading of the demo fixture to derive expected answers from."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from authz_sources.altinn import AltinnSettings, AltinnSource
from authz_sources.altinn.mock import DEMO_FIXTURE, create_mock_app
from tests.integration.altinn.altinn_support import TOKEN, Demo, broken_altinn
from tests.support.servers import free_port, serve_in_thread

SourceMaker = Callable[..., AltinnSource]


@pytest.fixture(scope="session")
def demo() -> Demo:
    return Demo()


@pytest.fixture(scope="session")
def altinn_url() -> Iterator[str]:
    """The mock with the demo fixture, requiring a bearer token like real Altinn."""
    with serve_in_thread(create_mock_app(DEMO_FIXTURE, required_token=TOKEN)) as url:
        yield url


@pytest.fixture(scope="session")
def slow_altinn_url() -> Iterator[str]:
    """The same mock answering every request after 800 ms."""
    with serve_in_thread(create_mock_app(DEMO_FIXTURE, delay_ms=800)) as url:
        yield url


@pytest.fixture(scope="session")
def closed_url() -> str:
    """A loopback address where nothing listens (connection refused)."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="session")
def broken_url() -> Iterator[str]:
    """Base URL of the broken register; append `/<mode>` (see BROKEN_ANSWERS)."""
    with serve_in_thread(broken_altinn) as url:
        yield url


@pytest.fixture
async def make_source(altinn_url: str) -> AsyncIterator[SourceMaker]:
    """Build Altinn sources (against the demo mock unless told otherwise); all are closed
    when the test ends."""
    made: list[AltinnSource] = []

    def make(**overrides: Any) -> AltinnSource:
        options: dict[str, Any] = {"base_url": altinn_url, "bearer_token": TOKEN, **overrides}
        source = AltinnSource("altinn", AltinnSettings(**options))
        made.append(source)
        return source

    yield make
    for source in made:
        await source.aclose()


@pytest.fixture
async def source(make_source: SourceMaker) -> AltinnSource:
    """A source against the demo mock with default settings."""
    return make_source()
