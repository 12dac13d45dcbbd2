"""The browser tests run the demo's parts for real: mock Altinn, the provider with the
Altinn source, and the example employee service, each on its own loopback port."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from authz_sources.altinn.mock import DEMO_FIXTURE, create_mock_app
from examples.employee_service.app import create_employee_service
from tests.support.chromium import chromium
from tests.support.provider import run_provider
from tests.support.servers import free_socket, serve_in_thread

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SERVICE_SECRET = "browser-service-secret-0123456789"


@dataclass
class DemoStack:
    provider: str
    service: str


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Module-scoped: Playwright's sync API keeps an event loop current while it runs,
    which would break the asyncio tests that follow if it lived for the session."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nb-NO", viewport={"width": 1000, "height": 1100})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def people() -> dict[str, str]:
    data: dict[str, str] = json.loads((FIXTURES / "altinn_people.json").read_text())
    return data


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoStack]:
    service_socket = free_socket()
    service_url = f"http://127.0.0.1:{service_socket.getsockname()[1]}"
    database = tmp_path_factory.mktemp("browser") / "ansattporten.db"
    with serve_in_thread(create_mock_app(DEMO_FIXTURE)) as altinn:
        overrides = {
            "sources": {"altinn": {"base_url": altinn}},
            "clients": [
                {
                    "client_id": "browser-service",
                    "client_secret": SERVICE_SECRET,
                    "client_name": "Eksempeltjeneste",
                    "redirect_uris": [f"{service_url}/callback"],
                }
            ],
        }
        with run_provider(f"sqlite:///{database}", overrides) as provider:
            service = create_employee_service(
                issuer=provider.settings.issuer,
                base_url=service_url,
                client_id="browser-service",
                client_secret=SERVICE_SECRET,
            )
            with serve_in_thread(service, service_socket):
                yield DemoStack(provider.base_url, service_url)
