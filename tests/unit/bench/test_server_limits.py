"""The limit probes report what a server really did: each runs against a small asyncio
server on 127.0.0.1 that behaves in one known way."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from bench import server_limits
from bench.server_limits import one_request, requests_per_connection, seconds_until_closed

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
Serve = Callable[[Handler], Awaitable[int]]
ANSWER = b"HTTP/1.1 %d X\r\nContent-Length: 2\r\n\r\nok"


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    servers: list[asyncio.Server] = []

    async def start(handler: Handler) -> int:
        async def closing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                await handler(reader, writer)
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            finally:
                writer.close()

        server = await asyncio.start_server(closing, "127.0.0.1", 0)
        servers.append(server)
        port: int = server.sockets[0].getsockname()[1]
        return port

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


async def read_head(reader: asyncio.StreamReader) -> bytes:
    return await reader.readuntil(b"\r\n\r\n")


async def test_a_refusal_and_a_request_that_got_through_are_told_apart(serve: Serve) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.LimitOverrunError:
            writer.write(ANSWER % 431)
        else:
            writer.write(ANSWER % (404 if b"/no-such-page" in head else 200))
        await writer.drain()
        writer.close()

    port = await serve(handler)
    small = server_limits.request(server_limits.MISSING, server_limits.big_header(100))
    big = server_limits.request(server_limits.MISSING, server_limits.big_header(200_000))
    assert await one_request(port, small) == "404"
    assert await one_request(port, big) == "431"


async def test_a_connection_closed_without_an_answer_is_reported(serve: Serve) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readline()
        writer.close()

    port = await serve(handler)
    assert await one_request(port, server_limits.request()) == "closed"


async def test_slow_headers_see_when_the_server_gives_up(serve: Serve) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(2):  # a header-read deadline
                await read_head(reader)
        except TimeoutError:
            writer.close()

    port = await serve(handler)
    first = b"GET / HTTP/1.1\r\nHost: x\r\n"
    found = await seconds_until_closed(port, first, b"X-Slow: aaaa", cap=6)
    assert found == "closed after 2 s"


async def test_a_server_without_a_deadline_is_still_open_at_the_cap(serve: Serve) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client goes

    port = await serve(handler)
    assert await seconds_until_closed(port, b"", None, cap=2) == "open after 2 s"


async def test_idle_keep_alive_is_timed_from_the_answer(serve: Serve) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(1)  # a slow answer: not part of the idle time
        await read_head(reader)
        writer.write(ANSWER % 200)
        await writer.drain()
        await asyncio.sleep(1)
        writer.close()

    port = await serve(handler)
    found = await seconds_until_closed(port, server_limits.request(), None, 5, read_answer=True)
    assert found == "closed after 1 s"


async def test_requests_per_connection_counts_until_the_server_closes(serve: Serve) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for _ in range(3):
            await read_head(reader)
            writer.write(ANSWER % 200)
            await writer.drain()
        writer.close()

    port = await serve(handler)
    assert await requests_per_connection(port) == "closed after 3"
