"""The protocol every server of the command answers through (`cli/head_limits`:
uvicorn's, with limits on request heads): a real uvicorn server behind it answers every
ordinary exchange byte for byte as plain uvicorn does (so the limits change nothing
below them), a head over a limit that arrives behind a
request in flight is refused after that request's answer, and a keep-alive connection
is closed after its share of requests. (Each limit against a running `ansattporten serve`:
`tests/integration/cli/test_serve_limits.py`.)"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from litestar import Litestar, get, head
from litestar.response import Stream

from ansattporten.cli.serving import ServerConfig
from ansattporten.server_settings import ServerSettings


@get("/page", sync_to_thread=False)
def page() -> str:
    return "a page"


@head("/page-head", sync_to_thread=False)
def page_head() -> None:
    return None


@get("/stream", sync_to_thread=False)
def stream() -> Stream:
    async def parts() -> AsyncIterator[bytes]:
        for part in (b"one,", b"two,", b"three"):
            await asyncio.sleep(0.001)
            yield part

    return Stream(parts())


@get("/boom", sync_to_thread=False)
def boom() -> str:
    raise RuntimeError("boom")


async def start(limits: ServerSettings | None) -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    """uvicorn's own httptools protocol without `limits`, the served one with them."""
    app = Litestar([page, page_head, stream, boom], debug=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options: dict[str, Any] = {"host": "127.0.0.1", "port": port, "log_level": "critical"}
    if limits is None:
        config = uvicorn.Config(app, http="httptools", **options)
    else:
        config = ServerConfig(app, limits=limits, **options)
    running = uvicorn.Server(config)
    task = asyncio.create_task(running.serve())
    while not running.started:
        await asyncio.sleep(0.01)
    return running, task, port


@pytest.fixture
async def ports() -> AsyncIterator[tuple[int, int, int]]:
    """(uvicorn's own httptools protocol, the limited one at the default limits, the
    limited one closing connections after 3 requests), each serving the same app."""
    servers = [
        await start(None),
        await start(ServerSettings()),
        await start(ServerSettings(max_requests_per_connection=3)),
    ]
    yield servers[0][2], servers[1][2], servers[2][2]
    for running, task, _ in servers:
        running.should_exit = True
        await task


async def exchange(port: int, requests: list[bytes]) -> bytes:
    """Send the requests on one keep-alive connection; everything answered until close,
    with the Date header blanked out."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"".join(requests))
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), timeout=5)
    writer.close()
    await writer.wait_closed()
    return re.sub(rb"date: [^\r]*", b"date: -", answer)


def request(method: str, path: str, *, close: bool = False) -> bytes:
    connection = b"close" if close else b"keep-alive"
    return f"{method} {path} HTTP/1.1\r\nHost: t\r\n".encode() + (
        b"Connection: " + connection + b"\r\n\r\n"
    )


EXCHANGES = {
    "page": [request("GET", "/page", close=True)],
    "keep-alive": [request("GET", "/page"), request("GET", "/page", close=True)],
    "head": [request("HEAD", "/page-head", close=True)],
    "stream": [request("GET", "/stream"), request("GET", "/page", close=True)],
    "error": [request("GET", "/boom"), request("GET", "/page", close=True)],
    "pipelined": [
        request("GET", "/page"),
        request("HEAD", "/page-head"),
        request("GET", "/stream"),
        request("GET", "/boom"),
        request("GET", "/page", close=True),
    ],
    "bad request": [b"NOT HTTP AT ALL\r\n\r\n"],
}


@pytest.mark.parametrize("name", list(EXCHANGES))
async def test_a_real_server_answers_byte_for_byte_as_uvicorn_does(
    ports: tuple[int, int, int], name: str
) -> None:
    plain_port, limited_port, _ = ports
    expected = await exchange(plain_port, EXCHANGES[name])
    assert expected.startswith(b"HTTP/1.1 ")
    assert await exchange(limited_port, EXCHANGES[name]) == expected


def statuses(answer: bytes) -> list[bytes]:
    return re.findall(rb"HTTP/1\.1 (\d{3})", answer)


async def test_a_connection_is_closed_after_its_share_of_requests(
    ports: tuple[int, int, int],
) -> None:
    _, _, limited_port = ports
    # four requests on one connection: the third is answered with Connection: close,
    # and the fourth is never answered (the client opens a new connection for it)
    answer = await exchange(limited_port, [request("GET", "/page")] * 4)
    heads = re.findall(rb"HTTP/1\.1 [^\r]*\r\n(?:[^\r]+\r\n)*\r\n", answer)
    assert len(heads) == 3
    assert [b"connection: close" in head for head in heads] == [False, False, True]


async def test_a_head_over_a_limit_behind_a_request_is_refused_after_its_answer(
    ports: tuple[int, int, int],
) -> None:
    _, limited_port, _ = ports
    oversized = b"GET /page HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n"
    answer = await exchange(limited_port, [request("GET", "/stream"), oversized])
    assert statuses(answer) == [b"200"]  # the first answered whole, then closed
    assert answer.endswith(b"one,two,three") or b"0\r\n\r\n" in answer


async def test_a_refusal_answers_the_limits_status_and_closes(ports: tuple[int, int, int]) -> None:
    _, limited_port, _ = ports
    long_url = f"GET /page?{'a' * 40_000} HTTP/1.1\r\nHost: t\r\n\r\n".encode()
    answer = await exchange(limited_port, [long_url, request("GET", "/page")])
    assert statuses(answer) == [b"414"]
    assert b"connection: close" in answer
    assert answer.endswith(b"request target too long")


async def test_a_bad_request_is_still_uvicorns_400(ports: tuple[int, int, int]) -> None:
    _, limited_port, _ = ports
    answer = await exchange(limited_port, [b"NOT HTTP AT ALL\r\n\r\n"])
    assert statuses(answer) == [b"400"]
