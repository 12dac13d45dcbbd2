"""The demo's embedded settings: a provider with one client per example service, the
Altinn and HPR sources pointed at their mock services and the example agency register
as an `http_register` source, and the `ansattporten:orgno` source at the employer-rules
service (its admin pages a client of this provider), all on loopback ports next to each
other. The Altinn
source gets its tokens as it would from the real Altinn: from the mock Maskinporten
with a key of its own (made once, in the data directory), exchanged at the mock Altinn
for an Altinn token. Three eIDs: TestID, the mock ID-porten (national eIDs and eIDAS)
and the mock Entra ID, whose client registrations name this provider's callbacks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from joserfc.jwk import RSAKey

from ansattporten.settings import Settings, settings_from_mapping

if TYPE_CHECKING:
    from employer_rules.settings import Settings as RulesSettings

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
IDPORTEN_CLIENT_ID: Final = "ansattporten-demo"
IDPORTEN_SECRET: Final = "demo-idporten-secret"
ENTRA_CLIENT_ID: Final = "f520250f-aa98-58fb-8914-a5a0e6d148d2"
ENTRA_SECRET: Final = "demo-entra-secret"
RULES_API_TOKEN: Final = "demo-employer-rules-api-token-0123456789"
"""What the provider's orgno source sends to the demo employer-rules service."""
RULES_ADMIN_CLIENT_ID: Final = "demo-employer-rules-admin"
RULES_ADMIN_SECRET: Final = "demo-employer-rules-admin-secret"
RULES_FILES: Final = Path(__file__).resolve().parents[2] / "examples" / "employer_rules"
"""The organisations (the demo Altinn's daglig leder's AS and its sub-units) and the
initial rules (for the mock Entra ID's users) the demo's employer-rules service starts
with."""
EMPLOYEE_ACR_VALUES: Final = "idporten-loa-substantial eidas-loa-substantial entraid"
"""What the demo's employee service asks for: the selector then offers all three eIDs
(ID-porten's own page has the national eIDs and, for eIDAS, the foreign people)."""


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
    "entra": DemoClient(
        "demo-entra-service", "demo-entra-secret", "Demo: tjeneste for Entra-brukere",
        "entra_service",
    ),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoPorts:
    provider: int
    employee_service: int
    health_service: int
    agency_register: int
    api: int
    agency_service: int
    employer_rules: int
    entra_service: int
    altinn: int
    hpr: int
    maskinporten: int
    idporten: int
    entra: int

    @classmethod
    def from_base(cls, base: int) -> DemoPorts:
        return cls(
            provider=base,
            employee_service=base + 1,
            health_service=base + 2,
            agency_register=base + 3,
            api=base + 4,
            agency_service=base + 5,
            employer_rules=base + 6,
            entra_service=base + 7,
            altinn=base + 101,
            hpr=base + 102,
            maskinporten=base + 103,
            idporten=base + 201,
            entra=base + 202,
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


def rules_admin_client(host: str, ports: DemoPorts) -> dict[str, Any]:
    """The employer-rules service's admin pages, registered as a client of the provider."""
    rules = ports.url(host, "employer_rules")
    return {
        "client_id": RULES_ADMIN_CLIENT_ID,
        "client_secret": RULES_ADMIN_SECRET,
        "client_name": "Organisasjonstilknytning i Ansattporten (demo)",
        "redirect_uris": [f"{rules}/callback"],
        "post_logout_redirect_uris": [f"{rules}/logged-out"],
        "token_endpoint_auth_method": "client_secret_basic",
    }


def employer_rules_settings(host: str, ports: DemoPorts, data_dir: Path) -> RulesSettings:
    """The demo's employer-rules service: its own SQLite database in the data
    directory, the example organisations and rules, logins at the demo provider."""
    from employer_rules.settings import settings_from_mapping as rules_settings_from_mapping

    data_dir.mkdir(parents=True, exist_ok=True)
    return rules_settings_from_mapping(
        {
            "base_url": ports.url(host, "employer_rules"),
            "database_url": f"sqlite:///{data_dir / 'employer-rules.db'}",
            "organisations_file": str(RULES_FILES / "organisations.json"),
            "initial_rules_file": str(RULES_FILES / "rules.json"),
            "provider": {
                "issuer": ports.url(host, "provider"),
                "client_id": RULES_ADMIN_CLIENT_ID,
                "client_secret": RULES_ADMIN_SECRET,
            },
            "api": {"bearer_tokens": [RULES_API_TOKEN]},
        }
    )


def demo_eids(host: str, ports: DemoPorts) -> dict[str, Any]:
    """`[eids]`: TestID, the mock ID-porten and the mock Entra ID (multi-tenant)."""
    return {
        "testid": {"kind": "testid"},
        "idporten": {
            "preset": "idporten",
            "issuer": ports.url(host, "idporten"),
            "client_id": IDPORTEN_CLIENT_ID,
            "client_secret": IDPORTEN_SECRET,
        },
        "entraid": {
            "preset": "entraid",
            "issuer": f"{ports.url(host, 'entra')}/organizations/v2.0",
            "client_id": ENTRA_CLIENT_ID,
            "client_secret": ENTRA_SECRET,
        },
    }


def upstream_fixture(fixture_file: Path, host: str, ports: DemoPorts, eid: str) -> dict[str, Any]:
    """A mock upstream's demo fixture with the client's redirect URI at this provider."""
    fixture: dict[str, Any] = json.loads(fixture_file.read_text(encoding="utf-8"))
    callback = f"{ports.url(host, 'provider')}/eid/{eid}/callback"
    for client in fixture.get("clients", fixture.get("applications", [])):
        client["redirect_uris"] = [callback]
    return fixture


def demo_settings(host: str, ports: DemoPorts, data_dir: Path) -> Settings:
    data_dir.mkdir(parents=True, exist_ok=True)
    return settings_from_mapping(
        {
            "issuer": ports.url(host, "provider"),
            "database_url": f"sqlite:///{data_dir / 'ansattporten.db'}",
            "clients": [
                *(client_settings(host, ports, client) for client in CLIENTS.values()),
                rules_admin_client(host, ports),
            ],
            "eids": demo_eids(host, ports),
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
                "orgno": {
                    "base_url": ports.url(host, "employer_rules"),
                    "token": RULES_API_TOKEN,
                },
            },
        }
    )
