"""The accountant with 300 client organisations the picker's tests search among
(`tests/fixtures/picker_accountant.json`), as a fixture for the Altinn mock."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "picker_accountant.json"


@dataclass(frozen=True)
class Client:
    orgno: str
    name: str
    unit_type: str
    parent: str | None = None


@dataclass(frozen=True)
class Accountant:
    pid: str
    resource: str
    clients: list[Client]
    """Every organisation, main units and sub-units, in the file's (unsorted) order."""

    def named(self, name: str) -> Client:
        return next(client for client in self.clients if client.name == name)


def accountant() -> Accountant:
    data = json.loads(FIXTURE.read_text("utf-8"))
    clients: list[Client] = []
    for orgno, name, unit_type, subunits in data["clients"]:
        clients.append(Client(orgno, name, unit_type))
        clients += [Client(sub, sub_name, "BEDR", orgno) for sub, sub_name in subunits]
    return Accountant(data["pid"], data["resource"], clients)


def altinn_fixture(who: Accountant) -> dict[str, Any]:
    """The Altinn mock's fixture: the accountant's parties, all holding the resource."""
    numbers = iter(range(60_000_000, 70_000_000))

    def party(client: Client, parent_uuid: str | None) -> dict[str, Any]:
        return {
            "partyUuid": str(uuid.uuid5(uuid.NAMESPACE_OID, client.orgno)),
            "partyId": next(numbers),
            "name": client.name,
            "organizationNumber": client.orgno,
            "parentId": parent_uuid,
            "type": "Organization",
            "unitType": client.unit_type,
            "authorizedResources": [who.resource],
            "authorizedRoles": ["REGNA"],
        }

    parties = []
    for client in who.clients:
        if client.parent is not None:
            continue
        main = party(client, None)
        main["subunits"] = [
            party(sub, main["partyUuid"]) for sub in who.clients if sub.parent == client.orgno
        ]
        parties.append(main)
    title = {"nb": "Testapplikasjon", "nn": "Testapplikasjon", "en": "Test application"}
    return {
        "authorized_parties": {who.pid: parties},
        "resources": [{"identifier": who.resource, "title": title, "actions": ["read"]}],
    }
