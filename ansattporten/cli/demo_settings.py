"""The demo's embedded settings: a provider with one client per example service, the
Altinn and HPR sources pointed at their mock services and the example agency register
as an `http_register` source, all on loopback ports next to each other."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ansattporten.settings import Settings, settings_from_mapping

AGENCY_TOKEN = "demo-agency-register-token"
"""The bearer token the example agency register expects (its own default, too)."""


@dataclass(frozen=True, slots=True)
class DemoClient:
    """A demo service's registration; `port` is the attribute of `DemoPorts` it runs on."""

    client_id: str
    client_secret: str
    name: str
    port: str


CLIENTS = {
    "employee": DemoClient(
        "demo-employee-service", "demo-employee-secret", "Demo: ansattjeneste", "employee_service"
    ),
    "health": DemoClient(
        "demo-health-service", "demo-health-secret", "Demo: legetjeneste", "health_service"
    ),
    "agency": DemoClient(
        "demo-agency-service", "demo-agency-secret", "Demo: etatens tjeneste", "agency_service"
    ),
}


@dataclass(frozen=True, slots=True)
class DemoPorts:
    provider: int
    employee_service: int
    health_service: int
    agency_register: int
    api: int
    agency_service: int
    altinn: int
    hpr: int

    @classmethod
    def from_base(cls, base: int) -> DemoPorts:
        return cls(
            provider=base,
            employee_service=base + 1,
            health_service=base + 2,
            agency_register=base + 3,
            api=base + 4,
            agency_service=base + 5,
            altinn=base + 101,
            hpr=base + 102,
        )

    def url(self, host: str, name: str) -> str:
        return f"http://{host}:{getattr(self, name)}"


def client_settings(host: str, ports: DemoPorts, client: DemoClient) -> dict[str, Any]:
    return {
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "client_name": client.name,
        "redirect_uris": [f"{ports.url(host, client.port)}/callback"],
        "token_endpoint_auth_method": "client_secret_basic",
    }


def demo_settings(host: str, ports: DemoPorts, data_dir: Path) -> Settings:
    data_dir.mkdir(parents=True, exist_ok=True)
    return settings_from_mapping(
        {
            "issuer": ports.url(host, "provider"),
            "database_url": f"sqlite:///{data_dir / 'ansattporten.db'}",
            "clients": [client_settings(host, ports, client) for client in CLIENTS.values()],
            "sources": {
                "altinn": {"base_url": ports.url(host, "altinn")},
                "hpr": {"base_url": ports.url(host, "hpr")},
                "my_agency": {
                    "kind": "http_register",
                    "types": ["myagency:role"],
                    "base_url": ports.url(host, "agency_register"),
                    "token": AGENCY_TOKEN,
                    "fields": {"role": "string"},
                },
            },
        }
    )
