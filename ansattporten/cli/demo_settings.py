"""The demo's embedded settings: a provider with a demo client, the Altinn and HPR
sources pointed at their mock services, all on loopback ports next to each other."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ansattporten.settings import Settings, settings_from_mapping


@dataclass(frozen=True, slots=True)
class DemoPorts:
    provider: int
    employee_service: int
    health_service: int
    agency_register: int
    altinn: int
    hpr: int

    @classmethod
    def from_base(cls, base: int) -> DemoPorts:
        return cls(
            provider=base,
            employee_service=base + 1,
            health_service=base + 2,
            agency_register=base + 3,
            altinn=base + 101,
            hpr=base + 102,
        )


def demo_settings(host: str, ports: DemoPorts, data_dir: Path) -> Settings:
    data_dir.mkdir(parents=True, exist_ok=True)
    return settings_from_mapping(
        {
            "issuer": f"http://{host}:{ports.provider}",
            "database_url": f"sqlite:///{data_dir / 'ansattporten.db'}",
            "clients": [
                {
                    "client_id": "demo-employee-service",
                    "client_secret": "demo-employee-secret",
                    "client_name": "Demo: ansattjeneste",
                    "redirect_uris": [f"http://{host}:{ports.employee_service}/callback"],
                    "token_endpoint_auth_method": "client_secret_basic",
                },
            ],
            "sources": {
                "altinn": {"base_url": f"http://{host}:{ports.altinn}"},
                "hpr": {"base_url": f"http://{host}:{ports.hpr}"},
            },
        }
    )
