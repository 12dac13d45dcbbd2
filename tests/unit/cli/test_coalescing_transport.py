"""The coalescing HTTP protocol (`cli/http_protocol`): one write per loop turn, in order,
a real uvicorn server behind it still answers every kind of response correctly, and a
keep-alive connection is closed after its share of requests."""

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

from ansattporten.cli import http_protocol
from ansattporten.cli.http_protocol import CoalescingHttpToolsProtocol, CoalescingTransport


class RecordingTransport:
    """Records what reaches the socket."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str) -> str:
        return f"extra:{name}"


async def test_writes_in_one_loop_turn_go_out_as_one() -> None:
    socket_side = RecordingTransport()
    transport = CoalescingTransport(socket_side, asyncio.get_running_loop())  # type: ignore[arg-type]
    transport.write(b"HTTP/1.1 200 OK\r\n\r\n")
    transport.write(b"body")
    assert socket_side.writes == []
    await asyncio.sleep(0)
    assert socket_side.writes == [b"HTTP/1.1 200 OK\r\n\r\nbody"]
    transport.write(b"next")
    await asyncio.sleep(0)
    assert socket_side.writes[1:] == [b"next"]


async def test_close_writes_what_is_pending_first_and_nothing_after() -> None:
    socket_side = RecordingTransport()
    transport = CoalescingTransport(socket_side, asyncio.get_running_loop())  # type: ignore[arg-type]
    transport.write(b"last words")
    transport.close()
    assert socket_side.writes == [b"last words"]
    assert socket_side.closed
    transport.write(b"too late")
    await asyncio.sleep(0)
    assert socket_side.writes == [b"last words"]


async def test_other_transport_methods_reach_the_socket() -> None:
    socket_side = RecordingTransport()
    transport = CoalescingTransport(socket_side, asyncio.get_running_loop())  # type: ignore[arg-type]
    assert transport.get_extra_info("peername") == "extra:peername"


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


async def start(http: Any) -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    app = Litestar([page, page_head, stream, boom], debug=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, http=http, log_level="critical")
    running = uvicorn.Server(config)
    task = asyncio.create_task(running.serve())
    while not running.started:
        await asyncio.sleep(0.01)
    return running, task, port


@pytest.fixture
async def ports() -> AsyncIterator[tuple[int, int]]:
    """(uvicorn's own httptools protocol, the coalescing one), each serving the same app."""
    plain = await start("httptools")
    coalescing = await start(CoalescingHttpToolsProtocol)
    yield plain[2], coalescing[2]
    for running, task, _ in (plain, coalescing):
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
    ports: tuple[int, int], name: str
) -> None:
    plain_port, coalescing_port = ports
    expected = await exchange(plain_port, EXCHANGES[name])
    assert expected.startswith(b"HTTP/1.1 ")
    assert await exchange(coalescing_port, EXCHANGES[name]) == expected


async def test_a_connection_is_closed_after_its_share_of_requests(
    ports: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_protocol, "REQUESTS_PER_CONNECTION", 3)
    _, coalescing_port = ports
    # four requests on one connection: the third is answered with Connection: close,
    # and the fourth is never answered (the client opens a new connection for it)
    answer = await exchange(coalescing_port, [request("GET", "/page")] * 4)
    heads = re.findall(rb"HTTP/1\.1 [^\r]*\r\n(?:[^\r]+\r\n)*\r\n", answer)
    assert len(heads) == 3
    assert [b"connection: close" in head for head in heads] == [False, False, True]
