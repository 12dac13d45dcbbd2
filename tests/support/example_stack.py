"""The example services (examples/) running for real, each on its own loopback port:
mock Altinn, mock HPR, the provider with both sources, the example API, the employee
service calling it, a second employee service asking for another resource, and the
health service; or the agency register with a provider started from its own settings
file (examples/agency_register/ansattporten.toml) and a service asking for its type."""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ansattporten.app import create_app
from ansattporten.settings import settings_from_mapping
from authz_sources.altinn.mock import DEMO_FIXTURE as ALTINN_DEMO
from authz_sources.altinn.mock import create_mock_app as altinn_mock
from authz_sources.hpr.mock import DEMO_FIXTURE as HPR_DEMO
from authz_sources.hpr.mock import create_mock_app as hpr_mock
from examples.agency_register.app import create_agency_register
from examples.employee_service.app import create_employee_service
from examples.example_api.app import create_example_api
from examples.health_service.app import create_health_service
from tests.support.provider import base_settings, run_provider
from tests.support.servers import free_socket, serve_in_thread

AGENCY_SETTINGS = Path(__file__).resolve().parents[2] / "examples/agency_register/ansattporten.toml"
OTHER_RESOURCE = "urn:altinn:resource:resource_enkeltrettighet"
SERVICES = {  # name -> (client_id, client_secret)
    "employee": ("example-employee", "example-employee-secret-0123456789"),
    "other_resource": ("example-other", "example-other-secret-0123456789"),
    "health": ("example-health", "example-health-secret-0123456789"),
}


@dataclass
class ExampleStack:
    provider: str
    api: str
    employee: str
    other_resource: str
    health: str


@dataclass
class AgencyStack:
    provider: str
    register: str
    service: str
    settings: dict[str, Any]


def _client(name: str, url: str) -> dict[str, Any]:
    client_id, secret = SERVICES[name]
    client = {"client_id": client_id, "client_secret": secret, "redirect_uris": [f"{url}/callback"]}
    if name != "health":  # the employee services log out and receive back-channel logout
        client["post_logout_redirect_uris"] = [f"{url}/logged-out"]
        client["backchannel_logout_uri"] = f"{url}/backchannel-logout"
    return client


def _service_args(name: str, issuer: str, url: str) -> dict[str, Any]:
    client_id, secret = SERVICES[name]
    return {"issuer": issuer, "base_url": url, "client_id": client_id, "client_secret": secret}


@contextlib.contextmanager
def run_examples(database_url: str) -> Iterator[ExampleStack]:
    sockets = {name: free_socket() for name in ("api", *SERVICES)}
    urls = {name: f"http://127.0.0.1:{s.getsockname()[1]}" for name, s in sockets.items()}
    with contextlib.ExitStack() as running:
        altinn = running.enter_context(serve_in_thread(altinn_mock(ALTINN_DEMO)))
        hpr = running.enter_context(serve_in_thread(hpr_mock(HPR_DEMO)))
        overrides = {
            "sources": {"altinn": {"base_url": altinn}, "hpr": {"base_url": hpr}},
            # the test clients of provider.toml too, so a LoginDriver can get tokens directly
            "clients": base_settings()["clients"]
            + [_client(name, urls[name]) for name in SERVICES],
        }
        provider = running.enter_context(run_provider(database_url, overrides))
        issuer = provider.settings.issuer
        api_url = f"{urls['api']}/api/organisations"
        apps = {
            "api": create_example_api(issuer=issuer),
            "employee": create_employee_service(
                **_service_args("employee", issuer, urls["employee"]), api_url=api_url
            ),
            "other_resource": create_employee_service(
                **_service_args("other_resource", issuer, urls["other_resource"]),
                api_url=api_url,
                resource=OTHER_RESOURCE,
            ),
            "health": create_health_service(**_service_args("health", issuer, urls["health"])),
        }
        for name, app in apps.items():
            running.enter_context(serve_in_thread(app, sockets[name]))
        yield ExampleStack(
            provider=provider.base_url,
            api=urls["api"],
            employee=urls["employee"],
            other_resource=urls["other_resource"],
            health=urls["health"],
        )


@contextlib.contextmanager
def run_agency_example(database_url: str) -> Iterator[AgencyStack]:
    """The provider from the agency example's settings file; only what must differ in a
    test (ports, database) is replaced: the source's types, token and fields, and the
    client's id and secret, are the file's."""
    data = tomllib.loads(AGENCY_SETTINGS.read_text("utf-8"))
    source = data["sources"]["my_agency"]
    client = data["clients"][0]
    provider_socket, service_socket = free_socket(), free_socket()
    issuer = f"http://127.0.0.1:{provider_socket.getsockname()[1]}"
    service_url = f"http://127.0.0.1:{service_socket.getsockname()[1]}"
    with serve_in_thread(create_agency_register(token=source["token"])) as register:
        source["base_url"] = register
        client["redirect_uris"] = [f"{service_url}/callback"]
        data.update(issuer=issuer, database_url=database_url)
        provider_app = create_app(settings_from_mapping(data))
        with serve_in_thread(provider_app, provider_socket) as provider:
            service = create_employee_service(
                issuer=issuer,
                base_url=service_url,
                client_id=client["client_id"],
                client_secret=client["client_secret"],
                details=[{"type": source["types"][0]}],
            )
            with serve_in_thread(service, service_socket):
                yield AgencyStack(provider, register, service_url, data)
