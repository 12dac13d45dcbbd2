"""A tiny register service that takes its time: every answer waits `delay_ms` first.

It answers `POST /lookup` with body `{"pid": "<11 digits>"}` with
`{"parties": [{"orgno", "name", "unit_type"}, ...]}`, the person's organisations, and
`GET /health` at once. Its data is taken from the mock Altinn's demo fixture, so the
tests know who is in it without writing people into test bodies.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import msgspec
from litestar import Litestar, Request, get, post
from litestar.datastructures import State

from tests.support.altinn_oracle import people, units


class LookupBody(msgspec.Struct):
    pid: str


def parties_from_altinn_demo(demo: Mapping[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Every person's organisations (main units and sub-units they reach) in the demo
    fixture, as the test oracle reads it."""
    return {
        pid: [
            {"orgno": unit.orgno, "name": unit.name, "unit_type": unit.unit_type}
            for unit in units(demo, pid)
            if not unit.hierarchy_only
        ]
        for pid in people(demo)
    }


@post("/lookup", status_code=200)
async def lookup(request: Request[Any, Any, Any]) -> dict[str, Any]:
    state = request.app.state
    await asyncio.sleep(state["delay_ms"] / 1000)
    body = msgspec.json.decode(await request.body(), type=LookupBody)
    return {"parties": state["parties"].get(body.pid, [])}


@get("/health", media_type="text/plain")
async def health() -> str:
    return "ok"


def create_slow_register(parties: Mapping[str, list[dict[str, str]]], *, delay_ms: int) -> Litestar:
    return Litestar(
        route_handlers=[lookup, health],
        state=State({"parties": dict(parties), "delay_ms": delay_ms}),
        openapi_config=None,
    )
