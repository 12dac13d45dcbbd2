"""What the Altinn integration tests share besides fixtures: the token, an independent
reading of the demo fixture (to derive expected answers), and a deliberately broken
register. Imported by its full dotted name so it works however pytest imports tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from authz_sources.altinn.mock import DEMO_FIXTURE
from tests.support.servers import answer_lifespan

TOKEN = "integration-test-token"
PEOPLE_FILE = Path(__file__).parents[2] / "fixtures" / "altinn_people.json"


@dataclass(frozen=True)
class Org:
    """One organisation party of a demo person, flattened."""

    orgno: str
    name: str
    unit_type: str
    parent: str | None
    deleted: bool
    hierarchy_only: bool
    resources: tuple[str, ...]


class Demo:
    """The demo fixture read directly from JSON, independent of the mock's code."""

    def __init__(self) -> None:
        self.raw: dict[str, Any] = json.loads(DEMO_FIXTURE.read_text("utf-8"))
        people = json.loads(PEOPLE_FILE.read_text("utf-8"))
        self.about: dict[str, str] = people.pop("_descriptions")
        self.people: dict[str, str] = people
        self.resources = {r["identifier"]: r for r in self.raw["resources"]}

    def pid(self, role: str) -> str:
        return self.people[role]

    def orgs(self, role: str) -> list[Org]:
        found = []
        for main in self.raw["authorized_parties"][self.pid(role)]:
            if main["type"] != "Organization":
                continue
            for party, parent in [(main, None)] + [(s, main) for s in main["subunits"]]:
                found.append(
                    Org(
                        orgno=party["organizationNumber"],
                        name=party["name"],
                        unit_type=party["unitType"],
                        parent=parent["organizationNumber"] if parent else None,
                        deleted=party["isDeleted"],
                        hierarchy_only=party["onlyHierarchyElementWithNoAccess"],
                        resources=tuple(party["authorizedResources"]),
                    )
                )
        return found

    def holders(
        self, role: str, resource_id: str, *, form: str | None = None, deleted: bool = False
    ) -> list[str]:
        """Orgnos that hold the resource themselves and pass the filters."""
        return [
            org.orgno
            for org in self.orgs(role)
            if resource_id in org.resources
            and not org.hierarchy_only
            and (deleted or not org.deleted)
            and (form is None or (form == "business") == (org.parent is not None))
        ]

    def allowed_actions(self, resource_id: str, orgno: str) -> set[str]:
        resource = self.resources[resource_id]
        return set(resource.get("actions", [])) - set(
            resource.get("denied_actions", {}).get(orgno, [])
        )


BROKEN_ANSWERS: dict[str, tuple[int, bytes, bytes]] = {
    "junk": (200, b"{this is not json", b"application/json"),
    "html": (200, b"<html>maintenance</html>", b"text/html"),
    "types": (
        200,
        b'[{"partyUuid":"u","partyId":1,"name":"X","type":"Organization",'
        b'"organizationNumber":"310000001","isDeleted":"no"}]',
        b"application/json",
    ),
    "object": (200, b'{"parties": []}', b"application/json"),
    "error": (500, b'{"title":"Internal Server Error"}', b"application/problem+json"),
    "forbidden": (403, b"", b"application/json"),
    "huge": (200, b"[" + b" " * 50_000 + b"]", b"application/json"),
}


async def broken_altinn(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A raw ASGI register whose answer depends on the first path segment."""
    if scope["type"] == "lifespan":
        await answer_lifespan(receive, send)
        return
    status, body, content_type = BROKEN_ANSWERS[scope["path"].split("/")[1]]
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
