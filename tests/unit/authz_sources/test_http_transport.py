"""The register clients' httpx transport against a real socket server that answers in
the ways registers (and broken networks) do."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import httpx
import pytest

from authz_sources.http_transport import HttptoolsTransport

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter, "Server"], Awaitable[None]]


@dataclass
class Server:
    url: str = ""
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)


async def read_request(reader: asyncio.StreamReader) -> bytes | None:
    """One request (head and Content-Length body), None at EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return head + await reader.readexactly(length)


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Handler], Awaitable[Server]]]:
    servers: list[asyncio.Server] = []

    async def start(handler: Handler) -> Server:
        state = Server()

        async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            state.connections += 1
            try:
                await handler(reader, writer, state)
            finally:
                writer.close()

        server = await asyncio.start_server(on_connection, "127.0.0.1", 0)
        servers.append(server)
        state.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        return state

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


def answer(body: bytes, *extra: bytes) -> bytes:
    head = [b"HTTP/1.1 200 OK", b"Content-Type: application/json", *extra]
    head.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(head) + b"\r\n\r\n" + body


async def keep_alive(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, state: Server
) -> None:
    while (request := await read_request(reader)) is not None:
        state.requests.append(request)
        writer.write(answer(b'{"n": %d}' % len(state.requests)))
        await writer.drain()


def client(**kwargs: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=HttptoolsTransport(max_connections=4), **kwargs)  # type: ignore[arg-type]


async def test_requests_are_sent_whole_and_connections_reused(serve) -> None:
    server = await serve(keep_alive)
    async with client() as http:
        for n in range(1, 4):
            response = await http.post(f"{server.url}/parties?a=1", content=b'{"pid": "x"}')
            assert response.status_code == 200
            assert response.json() == {"n": n}
    assert server.connections == 1
    first = server.requests[0]
    assert first.startswith(b"POST /parties?a=1 HTTP/1.1\r\n")
    assert b"\r\ncontent-length: 12\r\n" in first.lower()
    assert first.endswith(b'\r\n\r\n{"pid": "x"}')


async def test_chunked_answers_are_read_and_streamed(serve) -> None:
    async def chunked(reader, writer, state) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for part in (b'{"a"', b": 1}"):
            writer.write(b"%x\r\n%s\r\n" % (len(part), part))
            await writer.drain()
            await asyncio.sleep(0.01)
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        await read_request(reader)

    server = await serve(chunked)
    async with client() as http, http.stream("GET", server.url) as response:
        chunks = [chunk async for chunk in response.aiter_bytes()]
    assert b"".join(chunks) == b'{"a": 1}'
    assert len(chunks) == 2


async def test_an_answer_without_length_ends_when_the_server_closes(serve) -> None:
    async def until_close(reader, writer, state) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n[1, 2]")
        await writer.drain()

    server = await serve(until_close)
    async with client() as http:
        assert (await http.get(server.url)).json() == [1, 2]
        assert (await http.get(server.url)).json() == [1, 2]
    assert server.connections == 2


async def test_a_connection_the_server_closed_while_idle_is_replaced(serve) -> None:
    async def one_answer_per_connection(reader, writer, state) -> None:
        request = await read_request(reader)
        state.requests.append(request or b"")
        writer.write(answer(b"{}"))  # says nothing of closing, then closes
        await writer.drain()

    server = await serve(one_answer_per_connection)
    async with client() as http:
        for _ in range(3):
            assert (await http.post(server.url, content=b"{}")).status_code == 200
            await asyncio.sleep(0.05)
    assert server.connections == 3
    assert len(server.requests) == 3


async def test_a_slow_server_is_a_read_timeout(serve) -> None:
    async def silent(reader, writer, state) -> None:
        await read_request(reader)
        await asyncio.sleep(2)

    server = await serve(silent)
    async with client(timeout=0.2) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.get(server.url)


async def test_garbage_is_a_protocol_error(serve) -> None:
    async def garbage(reader, writer, state) -> None:
        await read_request(reader)
        writer.write(b"NOT HTTP AT ALL\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(0.5)

    server = await serve(garbage)
    async with client() as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get(server.url)


async def test_a_server_that_hangs_up_mid_answer_is_a_protocol_error(serve) -> None:
    async def hang_up(reader, writer, state) -> None:
        await read_request(reader)
        writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"part')
        await writer.drain()

    server = await serve(hang_up)
    async with client() as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get(server.url)


async def test_nobody_listening_is_a_connect_error(serve) -> None:
    server = await serve(keep_alive)
    port = server.url.rsplit(":", 1)[1]
    probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    free = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    assert str(free) != port
    async with client() as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(f"http://127.0.0.1:{free}/")


async def test_the_pool_bound_holds_and_waiting_too_long_is_a_pool_timeout(serve) -> None:
    release = asyncio.Event()

    async def held(reader, writer, state) -> None:
        await read_request(reader)
        await release.wait()
        writer.write(answer(b"{}"))
        await writer.drain()

    server = await serve(held)
    transport = HttptoolsTransport(max_connections=2)
    timeout = httpx.Timeout(5.0, pool=0.2)
    async with httpx.AsyncClient(transport=transport, timeout=timeout) as http:
        busy = [asyncio.create_task(http.get(server.url)) for _ in range(2)]
        await asyncio.sleep(0.1)
        with pytest.raises(httpx.PoolTimeout):
            await http.get(server.url)
        release.set()
        assert [r.status_code for r in await asyncio.gather(*busy)] == [200, 200]
    assert server.connections == 2


async def test_a_cancelled_request_frees_its_slot_and_drops_its_connection(serve) -> None:
    async def slow_then_keep_alive(reader, writer, state) -> None:
        if state.connections == 1:
            await read_request(reader)
            await asyncio.sleep(1)
            return
        await keep_alive(reader, writer, state)

    server = await serve(slow_then_keep_alive)
    transport = HttptoolsTransport(max_connections=1)
    async with httpx.AsyncClient(transport=transport, timeout=5.0) as http:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.1):
                await http.get(server.url)
        response = await http.get(server.url)  # would wait forever if the slot leaked
        assert response.json() == {"n": 1}
    assert server.connections == 2


@pytest.mark.parametrize("method", ["HEAD"])
async def test_what_it_does_not_speak_is_refused_plainly(serve, method: str) -> None:
    server = await serve(keep_alive)
    async with client() as http:
        with pytest.raises(httpx.UnsupportedProtocol):
            await http.request(method, server.url)
