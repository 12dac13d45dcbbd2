"""What the Altinn integration tests share besides fixtures: the token, an independent
reading of the demo fixture (to derive expected answers), and a deliberately broken
register. Imported by its full dotted name so it works however pytest imports tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from authz_sources.altinn.mock import DEMO_FIXTURE
from tests.support import altinn_oracle as oracle
from tests.support.servers import answer_lifespan

TOKEN = "integration-test-token"
PEOPLE_FILE = Path(__file__).parents[2] / "fixtures" / "altinn_people.json"


class Demo:
    """The demo fixture read directly from JSON, interpreted by the test oracle (written
    from the specification), independent of the mock's and the source's code."""

    def __init__(self) -> None:
        self.raw: dict[str, Any] = json.loads(DEMO_FIXTURE.read_text("utf-8"))
        people = json.loads(PEOPLE_FILE.read_text("utf-8"))
        self.about: dict[str, str] = people.pop("_descriptions")
        self.people: dict[str, str] = people

    def pid(self, role: str) -> str:
        return self.people[role]

    def orgs(self, role: str) -> list[oracle.Unit]:
        """Every organisation of the person's answer (headings included), in order."""
        return list(oracle.units(self.raw, self.pid(role)))

    def holders(
        self, role: str, resource_id: str, *, form: str | None = None, deleted: bool = False
    ) -> list[str]:
        """Orgnos that reach the resource and pass the filters, in answer order."""
        chosen = oracle.eligible(
            self.raw, self.pid(role), resource_id, organizationform=form, allow_deleted=deleted
        )
        return [unit.orgno for unit in self.orgs(role) if unit.orgno in chosen]

    def allowed_actions(self, role: str, resource_id: str, orgno: str) -> set[str]:
        """Every action the PDP permits the person on the resource for the party."""
        everything = {
            action
            for rule in oracle.resource(self.raw, resource_id).get("policy", [])
            for action in rule["actions"]
        }
        return oracle.held_actions(self.raw, self.pid(role), resource_id, orgno, everything)


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
