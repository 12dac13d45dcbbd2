"""The demo's embedded settings: a provider with one client per example service, the
Altinn and HPR sources pointed at their mock services and the example agency register
as an `http_register` source, all on loopback ports next to each other. The Altinn
source gets its tokens as it would from the real Altinn: from the mock Maskinporten
with a key of its own (made once, in the data directory), exchanged at the mock Altinn
for an Altinn token."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc.jwk import RSAKey

from ansattporten.settings import Settings, settings_from_mapping

AGENCY_TOKEN = "demo-agency-register-token"
MASKINPORTEN_CLIENT_ID = "ansattporten-demo"
MASKINPORTEN_KID = "ansattporten-demo-key"
DEMO_ORGNO = "991825827"
"""The organisation the demo's Maskinporten client belongs to."""
ALTINN_SCOPES = [
    "altinn:accessmanagement/authorizedparties.resourceowner",
    "altinn:authorization/authorize",
]
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
    maskinporten: int

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
            maskinporten=base + 103,
        )

    def url(self, host: str, name: str) -> str:
        return f"http://{host}:{getattr(self, name)}"


def maskinporten_issuer(host: str, ports: DemoPorts) -> str:
    """The mock Maskinporten's issuer, with the trailing slash Maskinporten's has."""
    return ports.url(host, "maskinporten") + "/"


def demo_key(data_dir: Path) -> Path:
    """The demo client's private key (a JWK file), made on first use and kept."""
    path = data_dir / "maskinporten-key.json"
    if not path.exists():
        key = RSAKey.generate_key(2048, parameters={"kid": MASKINPORTEN_KID}, private=True)
        path.write_text(json.dumps(key.as_dict(private=True)))
        path.chmod(0o600)
    return path


def maskinporten_clients(data_dir: Path) -> dict[str, Any]:
    """The mock Maskinporten's registration of the demo client: its public key, its
    organisation and the Altinn scopes."""
    private = json.loads(demo_key(data_dir).read_text())
    public = RSAKey.import_key(private).as_dict(private=False)
    return {
        "clients": [
            {
                "client_id": MASKINPORTEN_CLIENT_ID,
                "orgno": DEMO_ORGNO,
                "scopes": ALTINN_SCOPES,
                "jwks": {"keys": [{**public, "kid": private.get("kid", MASKINPORTEN_KID)}]},
            }
        ]
    }


LOGGING_OUT = ("employee_service", "agency_service")
"""The demo services built on the example employee service, which has a "log out"
button and receives back-channel logout."""


def client_settings(host: str, ports: DemoPorts, client: DemoClient) -> dict[str, Any]:
    url = ports.url(host, client.port)
    settings: dict[str, Any] = {
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "client_name": client.name,
        "redirect_uris": [f"{url}/callback"],
        "token_endpoint_auth_method": "client_secret_basic",
    }
    if client.port in LOGGING_OUT:
        settings["post_logout_redirect_uris"] = [f"{url}/logged-out"]
        settings["backchannel_logout_uri"] = f"{url}/backchannel-logout"
    return settings


def demo_settings(host: str, ports: DemoPorts, data_dir: Path) -> Settings:
    data_dir.mkdir(parents=True, exist_ok=True)
    return settings_from_mapping(
        {
            "issuer": ports.url(host, "provider"),
            "database_url": f"sqlite:///{data_dir / 'ansattporten.db'}",
            "clients": [client_settings(host, ports, client) for client in CLIENTS.values()],
            "sources": {
                "altinn": {
                    "base_url": ports.url(host, "altinn"),
                    "maskinporten_issuer": maskinporten_issuer(host, ports),
                    "maskinporten_client_id": MASKINPORTEN_CLIENT_ID,
                    "maskinporten_key": str(demo_key(data_dir)),
                },
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
