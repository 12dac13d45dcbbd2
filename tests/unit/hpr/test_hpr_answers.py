"""How the HPR source treats each kind of answer, shaped by a handler behind a real
loopback server."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import msgspec
import pytest

from authz_sources import AuthzSource, SourceUnavailable, Subject
from authz_sources.hpr import HprSettings, HprSource, HprSourceFactory
from authz_sources.hpr.mock import DEMO_FIXTURE
from tests.support.handler_server import Handler, serving
from tests.support.servers import free_port

DAY = dt.date(2031, 2, 3)
REGISTER: dict[str, Any] = json.loads(DEMO_FIXTURE.read_text(encoding="utf-8"))
PID, RECORD = next(iter(REGISTER.items()))
SUBJECT = Subject(pid=PID, client_id="c")


@contextlib.asynccontextmanager
async def source(handler: Handler, **settings: Any) -> AsyncIterator[HprSource]:
    """A source asking a server that answers with `handler` (at `base_url` if given)."""
    with serving(handler) as url:
        config = HprSettings(**{"base_url": url + "/", **settings})
        hpr = HprSource("hpr", config, today=lambda: DAY)
        try:
            yield hpr
        finally:
            await hpr.aclose()


async def grant(handler: Handler, **settings: Any) -> dict[str, Any] | None:
    async with source(handler, **settings) as hpr:
        return await hpr.grant(SUBJECT, hpr.parse_detail({"type": "ansattporten:hpr"}), [])


def test_factory_builds_a_conforming_source() -> None:
    built = HprSourceFactory.create("health", HprSettings(base_url="http://x"))
    assert isinstance(built, AuthzSource)
    assert built.name == "health"
    with pytest.raises(TypeError):
        HprSourceFactory.create("health", msgspec.Struct())


async def test_the_request() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=RECORD)

    assert await grant(handler, bearer_token="tok") is not None
    request = seen[0]
    assert request.method == "POST"
    assert request.url.path == "/v1/personerutvidet"
    assert not request.url.query
    assert json.loads(request.content) == {
        "nin": PID,
        "atDate": "2031-02-03",
        "includeHistory": False,
    }
    assert request.headers["authorization"] == "Bearer tok"
    assert request.headers["accept-encoding"] == "identity"
    assert PID not in str(request.url)


async def test_no_token_no_header() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert "authorization" not in request.headers
        return httpx.Response(404)

    assert await grant(handler) == {"type": "ansattporten:hpr"}


def _oversized(_: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={**RECORD, "padding": "x" * 5000})


def _oversized_without_length(_: httpx.Request) -> httpx.Response:
    body = json.dumps({**RECORD, "padding": "x" * 5000}).encode()
    chunks = [body[i : i + 512] for i in range(0, len(body), 512)]
    return httpx.Response(
        200, headers={"content-type": "application/json"}, stream=httpx.ByteStream(b"".join(chunks))
    )


def _slow(_: httpx.Request) -> httpx.Response:
    time.sleep(0.6)  # past the 200 ms deadline below
    return httpx.Response(200, json=RECORD)


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (lambda _: httpx.Response(500), "HTTP 500"),
        (lambda _: httpx.Response(503, json={}), "HTTP 503"),
        (lambda _: httpx.Response(400, json={}), "HTTP 400"),
        (lambda _: httpx.Response(302, headers={"location": "/x"}), "HTTP 302"),
        (lambda _: httpx.Response(200, text="<html/>"), "not JSON"),
        (
            lambda _: httpx.Response(
                200, content=b"{", headers={"content-type": "application/json"}
            ),
            "malformed",
        ),
        (lambda _: httpx.Response(200, json=[]), "malformed"),
        (lambda _: httpx.Response(200, json={**RECORD, "hprNummer": "991"}), "malformed"),
        (lambda _: httpx.Response(200, json={**RECORD, "godkjenninger": [{}]}), "malformed"),
        (
            lambda _: httpx.Response(200, json={**RECORD, "person": {"nin": "02898513850"}}),
            "different person",
        ),
        (_oversized, "larger than"),
        (_oversized_without_length, "larger than"),
        (_slow, "did not answer within 0.2 s"),
    ],
)
async def test_untrustworthy_answers_fail_closed(handler: Handler, message: str) -> None:
    with pytest.raises(SourceUnavailable, match=message) as caught:
        await grant(handler, max_bytes=4096, timeout_ms=200)
    assert PID not in str(caught.value)


async def test_nobody_listening_fails_closed() -> None:
    with pytest.raises(SourceUnavailable, match="could not be reached") as caught:
        await grant(_oversized, base_url=f"http://127.0.0.1:{free_port()}")
    assert PID not in str(caught.value)


async def test_health_accepts_any_answer_below_500() -> None:
    async with source(lambda _: httpx.Response(404)) as hpr:
        await hpr.check_health()
    async with source(lambda _: httpx.Response(502)) as broken:
        with pytest.raises(SourceUnavailable, match="HTTP 502"):
            await broken.check_health()


@pytest.mark.parametrize(
    "settings",
    [
        {"base_url": "ftp://x"},
        {"base_url": "http://x", "timeout_ms": 0},
        {"base_url": "http://x", "max_bytes": 10},
        {"base_url": "http://x", "max_connections": 0},
        {"base_url": "http://x", "token": "misspelt key"},
    ],
)
def test_bad_settings(settings: dict[str, Any]) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(settings, HprSettings)
