"""Starting a real provider for a test: settings from `tests/fixtures/provider.toml`, a
fresh database, a loopback port."""

from __future__ import annotations

import contextlib
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ansattporten.app import create_app
from ansattporten.settings import Settings, settings_from_mapping
from tests.support.servers import free_socket, serve_in_thread

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def base_settings() -> dict[str, Any]:
    return tomllib.loads((FIXTURES / "provider.toml").read_text())


@dataclass
class RunningProvider:
    base_url: str
    settings: Settings


def provider_settings(
    issuer: str, database_url: str, overrides: Mapping[str, Any] | None = None
) -> Settings:
    data = base_settings()
    # every request of a test comes from 127.0.0.1, and a module's tests share one
    # provider: the /authorize limit would refuse them (the rate-limit tests set theirs)
    data.update({"issuer": issuer, "database_url": database_url})
    data["authorize_requests_per_minute"] = 100_000
    data.update(overrides or {})
    return settings_from_mapping(data)


@contextlib.contextmanager
def run_provider(
    database_url: str,
    overrides: Mapping[str, Any] | None = None,
    clock: Callable[[], float] = time.time,
) -> Iterator[RunningProvider]:
    """`clock`: the time the provider goes by (a `MovableClock` for tests of timers)."""
    sock = free_socket()
    issuer = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        settings = provider_settings(issuer, database_url, overrides)
    except Exception:
        sock.close()
        raise
    with serve_in_thread(create_app(settings, clock=clock), sock) as base_url:
        yield RunningProvider(base_url, settings)


class MovableClock:
    """The real time plus an offset a test moves on, to see a timer run out without
    waiting for it (every instance given the same clock sees the same time)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds
