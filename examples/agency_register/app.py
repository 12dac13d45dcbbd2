"""An agency's own register behind the HTTP register contract, version 1
(docs/http-register.md): the provider's `http_register` source asks it, during each
login, for whom the person may act.

    POST /parties   Authorization: Bearer <token>
        {"type": "myagency:role", "subject": {"pid": "..."}, "detail": {...}}
        200 {"parties": [{"id": "0192:...", "name", "unit_type", "rights", ...}]}
        401 wrong or missing token, 400 a request that is not the contract's
    GET  /health    200 when /parties can answer

It answers from `register.json` beside this file (PID -> parties in the contract's wire
form). A request may carry the agency's own field `role`; then only organisations where
the person holds that role are listed. `ansattporten.toml` beside this file is a
provider settings file enabling this register as the source `my_agency`.

Run: `python -m examples.agency_register --port 8003`.
"""

from __future__ import annotations

import hmac
import json
import re
from pathlib import Path
from typing import Any, Final

from litestar import Litestar, Request, Response, get, post

REGISTER_FILE: Final = Path(__file__).parent / "register.json"
DEMO_TOKEN: Final = "demo-agency-register-token"
TYPES: Final = frozenset({"myagency:role"})
_PID: Final = re.compile(r"[0-9]{11}")
_PARTY_MEMBERS: Final = frozenset({"id", "name", "unit_type", "rights", "parent_id", "is_deleted"})


def load_register(path: Path) -> dict[str, list[dict[str, Any]]]:
    """PID -> parties; refuses at start a file the provider would refuse at login."""
    people: dict[str, list[dict[str, Any]]] = json.loads(path.read_text("utf-8"))["people"]
    for pid, parties in people.items():
        if not _PID.fullmatch(pid):
            raise ValueError(f"{path}: {pid!r} is not an 11-digit identity number")
        for party in parties:
            unknown = set(party) - _PARTY_MEMBERS
            if unknown or not re.fullmatch(r"0192:[0-9]{9}", str(party.get("id"))):
                raise ValueError(f"{path}: a party of {pid[:6]}***** is not in wire form")
    return people


def _error(status: int, message: str) -> Response[dict[str, str]]:
    return Response({"error": message}, status_code=status)


def _authorised(request: Request[Any, Any, Any], token: str | None) -> bool:
    if token is None:
        return True
    sent = request.headers.get("authorization", "")
    return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


def parties_for(
    people: dict[str, list[dict[str, Any]]], pid: str, detail: dict[str, Any]
) -> list[dict[str, Any]]:
    """The person's parties, narrowed by the agency's own `role` field when sent."""
    role = detail.get("role")
    found = people.get(pid, [])
    if isinstance(role, str):
        found = [party for party in found if role in party.get("rights", [])]
    return found


def create_agency_register(
    *, register_file: Path = REGISTER_FILE, token: str | None = DEMO_TOKEN
) -> Litestar:
    """`token=None` accepts any caller (only for local experiments)."""
    people = load_register(register_file)

    @post("/parties", status_code=200)
    async def parties(request: Request[Any, Any, Any]) -> Response[Any]:
        if not _authorised(request, token):
            return _error(401, "unauthorized")
        try:
            body = json.loads(await request.body())
            rar_type, pid, detail = body["type"], body["subject"]["pid"], body["detail"]
        except (ValueError, KeyError, TypeError):
            return _error(400, "not a contract v1 request")
        if rar_type not in TYPES or not isinstance(pid, str) or not _PID.fullmatch(pid):
            return _error(400, "unknown type or malformed subject")
        if not isinstance(detail, dict):
            return _error(400, "detail must be an object")
        return Response({"parties": parties_for(people, pid, detail)})

    @get("/health")
    async def health(request: Request[Any, Any, Any]) -> Response[Any]:
        if not _authorised(request, token):
            return _error(401, "unauthorized")
        return Response({"status": "ok"})

    return Litestar(route_handlers=[parties, health], openapi_config=None)
