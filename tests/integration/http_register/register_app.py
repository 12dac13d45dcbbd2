"""A small agency register speaking the HTTP register contract, for tests.

It answers from a table (PID -> parties in wire form) and, when the request carries a
`role` field, keeps only parties whose rights include that role: the kind of
agency-specific filtering the contract passes through. The first path segment picks a
behaviour, so one server can play a healthy register and every kind of broken one:
`{base}/ok/parties`, `{base}/status500/parties`, `{base}/slow/parties`, ...
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import anyio
import msgspec
from litestar import Litestar, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Stream

SLOW_SECONDS = 1.0
MODES = (
    "ok",
    "slow",
    "status500",
    "status404",
    "status400",
    "malformed",
    "oversized",
    "oversized_stream",
    "wrong_types",
    "bad_id",
    "unknown_field",
    "duplicate",
    "html",
    "redirect",
    "too_many",
)


def wire_party(orgno: str, name: str, unit_type: str = "AS", **extra: Any) -> dict[str, Any]:
    """A party in wire form."""
    return {"id": f"0192:{orgno}", "name": name, "unit_type": unit_type, **extra}


@dataclass
class RegisterApp:
    """The app plus what it received (appended from the server thread)."""

    app: Litestar
    requests: list[dict[str, Any]] = field(default_factory=list)


def _json(data: Any, status: int = 200) -> Response[bytes]:
    return Response(msgspec.json.encode(data), status_code=status, media_type="application/json")


def _padding_parties(count: int) -> list[dict[str, Any]]:
    return [wire_party(f"{900000000 + i}", "PADDING " + "X" * 200) for i in range(count)]


def _broken(mode: str) -> Response[Any] | None:
    """The answer of a broken register, or None for a healthy one."""
    answers: dict[str, Any] = {
        "status500": lambda: _json({"error": "boom"}, 500),
        "status404": lambda: _json({"error": "no such thing"}, 404),
        "status400": lambda: _json({"error": "bad request"}, 400),
        "malformed": lambda: Response(b'{"parties": [', media_type="application/json"),
        "oversized": lambda: _json({"parties": _padding_parties(300)}),
        "wrong_types": lambda: _json({"parties": [{"id": 123456789, "name": ["A"]}]}),
        "bad_id": lambda: _json({"parties": [wire_party("12345", "SHORT ORGNO")]}),
        "unknown_field": lambda: _json(
            {"parties": [{**wire_party("311000001", "TYPO AS"), "rigths": ["x"]}]}
        ),
        "duplicate": lambda: _json(
            {"parties": [wire_party("311000001", "A"), wire_party("311000001", "A")]}
        ),
        "html": lambda: Response(b"<html>hello</html>", media_type="text/html"),
        "redirect": lambda: Redirect("/ok/parties", status_code=307),
        "too_many": lambda: _json({"parties": _padding_parties(5)}),
    }
    if mode == "oversized_stream":
        return Stream(_dribble(), media_type="application/json")
    make = answers.get(mode)
    return None if make is None else make()


async def _dribble() -> AsyncIterator[bytes]:
    """A chunked answer (no content-length) that keeps growing."""
    yield b'{"parties": ['
    for i in range(400):
        yield msgspec.json.encode(wire_party(f"{900000000 + i}", "Y" * 200)) + b","
    yield b'{"id": "0192:999999999", "name": "END"}]}'


def create_register_app(
    table: Mapping[str, Sequence[Mapping[str, Any]]], *, token: str | None = None
) -> RegisterApp:
    """A register answering from `table` (PID -> parties in wire form)."""
    state = RegisterApp(app=Litestar(route_handlers=[]))

    @post("/{mode:str}/parties", status_code=200)
    async def parties(mode: FromPath[str], request: Request[Any, Any, Any]) -> Response[Any]:
        body = msgspec.json.decode(await request.body())
        state.requests.append({"mode": mode, "headers": dict(request.headers), "body": body})
        if token is not None and request.headers.get("authorization") != f"Bearer {token}":
            return _json({"error": "unauthorized"}, 401)
        if mode == "slow":
            await anyio.sleep(SLOW_SECONDS)
        broken = _broken(mode)
        if broken is not None:
            return broken
        found = list(table.get(body["subject"]["pid"], ()))
        role = body["detail"].get("role")
        if role is not None:
            found = [party for party in found if role in party.get("rights", ())]
        return _json({"parties": found})

    @get("/{mode:str}/health")
    async def health(mode: FromPath[str]) -> Response[Any]:
        return _json({"status": "down"}, 503) if mode == "status500" else _json({"status": "ok"})

    state.app = Litestar(route_handlers=[parties, health], openapi_config=None)
    return state
