"""The browser tests run the demo's parts for real: mock Altinn, the provider with the
Altinn source, and the example employee service, each on its own loopback port; and the
same with the accountant who has 300 client organisations."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from authz_sources.altinn.mock import DEMO_FIXTURE, create_mock_app
from examples.employee_service.app import create_employee_service
from tests.support.accountant import Accountant, accountant, altinn_fixture
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
                    "post_logout_redirect_uris": [f"{service_url}/logged-out"],
                    "backchannel_logout_uri": f"{service_url}/backchannel-logout",
                    "frontchannel_logout_uri": f"{service_url}/frontchannel-logout",
                    "frontchannel_logout_session_required": True,
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


@dataclass
class AccountantStack:
    """The accountant with 300 client organisations, a service that lets them choose
    several and one that lets them choose one."""

    provider: str
    several: str
    one: str
    who: Accountant


SERVICES = {"several": True, "one": False}


@pytest.fixture(scope="module")
def accountant_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AccountantStack]:
    who = accountant()
    assert sum(1 for client in who.clients if client.parent is None) == 300
    sockets = {name: free_socket() for name in SERVICES}
    urls = {name: f"http://127.0.0.1:{s.getsockname()[1]}" for name, s in sockets.items()}
    database = tmp_path_factory.mktemp("accountant") / "ansattporten.db"
    with contextlib.ExitStack() as running:
        altinn = running.enter_context(serve_in_thread(create_mock_app(altinn_fixture(who))))
        overrides = {
            "sources": {"altinn": {"base_url": altinn}},
            "rate_limit": False,
            "clients": [
                {
                    "client_id": f"{name}-service",
                    "client_secret": SERVICE_SECRET,
                    "client_name": "Regnskapstjenesten",
                    "redirect_uris": [f"{urls[name]}/callback"],
                }
                for name in SERVICES
            ],
        }
        provider = running.enter_context(run_provider(f"sqlite:///{database}", overrides))
        for name, several in SERVICES.items():
            detail = {
                "type": "ansattporten:altinn:resource",
                "resource": f"urn:altinn:resource:{who.resource}",
                "allow_multiple_organizations": several,
            }
            service = create_employee_service(
                issuer=provider.settings.issuer,
                base_url=urls[name],
                client_id=f"{name}-service",
                client_secret=SERVICE_SECRET,
                details=[detail],
            )
            running.enter_context(serve_in_thread(service, sockets[name]))
        yield AccountantStack(provider.base_url, urls["several"], urls["one"], who)
