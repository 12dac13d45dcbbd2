"""What every register call is held to (`authz_sources.register_http`), against real
socket servers that answer the ways registers, and broken networks, do: the pool bound,
one deadline over connect, send and read, the size bound while the answer streams, TLS
checked, no redirects, and every failure as `SourceUnavailable` without the URL."""

from __future__ import annotations

import asyncio
import gzip
import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from authz_sources import SourceUnavailable
from authz_sources.register_http import RegisterHttp, tls_context
from authz_sources.registry import SourceConfigError
from tests.support.private_ca import PrivateCa, make_private_ca
from tests.support.servers import free_port

PID = "01817512345"
Reader = asyncio.StreamReader
Writer = asyncio.StreamWriter
Handler = Callable[[Reader, Writer, "Server"], Awaitable[None]]


@dataclass
class Server:
    url: str = ""
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)
    sent: int = 0


async def read_request(reader: Reader) -> bytes | None:
    """One request (head and Content-Length body), None at EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return head + await reader.readexactly(length)


Serve = Callable[..., Awaitable[Server]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    servers: list[asyncio.Server] = []

    async def start(handler: Handler, tls: Any = None) -> Server:
        state = Server()

        async def on_connection(reader: Reader, writer: Writer) -> None:
            state.connections += 1
            try:
                await handler(reader, writer, state)
            except ConnectionError:
                pass
            finally:
                writer.close()

        server = await asyncio.start_server(on_connection, "127.0.0.1", 0, ssl=tls)
        servers.append(server)
        scheme = "https" if tls else "http"
        state.url = f"{scheme}://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        return state

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


def answer(body: bytes, *extra: bytes) -> bytes:
    head = [b"HTTP/1.1 200 OK", b"Content-Type: application/json", *extra]
    head.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(head) + b"\r\n\r\n" + body


async def keep_alive(reader: Reader, writer: Writer, state: Server) -> None:
    while (request := await read_request(reader)) is not None:
        state.requests.append(request)
        writer.write(answer(b'{"n": %d}' % len(state.requests)))
        await writer.drain()


def pool(url: str, **options: Any) -> RegisterHttp:
    settings: dict[str, Any] = {
        "headers": {"User-Agent": "test"},
        "timeout_seconds": 2.0,
        "max_bytes": 4096,
        "max_connections": 4,
        "base_url": url,
        **options,
    }
    return RegisterHttp("register", **settings)


async def test_requests_are_sent_whole_and_connections_reused(serve: Serve) -> None:
    server = await serve(keep_alive)
    http = pool(server.url)
    for n in range(1, 4):
        got = await http.post_json("/parties?a=1", b'{"pid": "x"}')
        assert (got.status, got.media_type, got.body) == (200, "application/json", b'{"n": %d}' % n)
        assert got.is_json
    await http.aclose()
    assert server.connections == 1
    first = server.requests[0]
    assert first.startswith(b"POST /parties?a=1 HTTP/1.1\r\n")
    for header in (
        b"content-length: 12",
        b"content-type: application/json",
        b"accept: application/json",
        b"accept-encoding: identity",
        b"user-agent: test",
    ):
        assert b"\r\n" + header + b"\r\n" in first.lower(), header
    assert first.endswith(b'\r\n\r\n{"pid": "x"}')


async def test_the_pool_bound_holds_and_waiting_for_it_counts_against_the_deadline(
    serve: Serve,
) -> None:
    release = asyncio.Event()

    async def held(reader: Reader, writer: Writer, state: Server) -> None:
        while (request := await read_request(reader)) is not None:
            state.requests.append(request)
            await release.wait()
            writer.write(answer(b"{}"))
            await writer.drain()

    server = await serve(held)
    http = pool(server.url, max_connections=2, timeout_seconds=5.0)
    calls = [asyncio.create_task(http.request("GET", "/")) for _ in range(3)]
    await asyncio.sleep(0.3)
    assert (server.connections, len(server.requests)) == (2, 2)  # the third one waits
    release.set()
    assert [got.status for got in await asyncio.gather(*calls)] == [200, 200, 200]
    assert server.connections == 2  # the third took a connection given back
    await http.aclose()


async def test_waiting_for_a_free_connection_counts_against_the_deadline(serve: Serve) -> None:
    async def slow(reader: Reader, writer: Writer, state: Server) -> None:
        while (request := await read_request(reader)) is not None:
            state.requests.append(request)
            await asyncio.sleep(0.8)
            writer.write(answer(b"{}"))
            await writer.drain()

    server = await serve(slow)
    http = pool(server.url, max_connections=1, timeout_seconds=1.0)
    first = asyncio.create_task(http.request("GET", "/"))
    await asyncio.sleep(0.1)
    # the second waits 0.7 s for the connection, then 0.8 s for its answer: in time on
    # a deadline of its own, too late on one that started when the call did
    with pytest.raises(SourceUnavailable, match=r"register did not answer within 1 s"):
        await http.request("GET", "/")
    assert (await first).status == 200
    await http.aclose()


async def test_the_deadline_covers_reading_the_whole_answer(serve: Serve) -> None:
    async def dribble(reader: Reader, writer: Writer, state: Server) -> None:
        await read_request(reader)
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n"
        )
        for _ in range(200):  # a byte every 20 ms: each read is quick, the whole is not
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(0.02)

    server = await serve(dribble)
    http = pool(server.url, timeout_seconds=0.5)
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match=r"did not answer within 0\.5 s"):
        await http.request("GET", "/")
    assert 0.45 < time.monotonic() - started < 1.5
    await http.aclose()


async def test_the_deadline_covers_connecting_and_the_tls_handshake(serve: Serve) -> None:
    async def silent(reader: Reader, writer: Writer, state: Server) -> None:
        await asyncio.sleep(5)  # takes the connection, never answers the TLS hello

    server = await serve(silent)
    http = pool(server.url.replace("http://", "https://"), timeout_seconds=0.3)
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match=r"did not answer within 0\.3 s"):
        await http.request("GET", "/")
    assert time.monotonic() - started < 1.5
    await http.aclose()


async def test_an_answer_declared_too_large_is_refused_before_it_is_read(serve: Serve) -> None:
    async def huge(reader: Reader, writer: Writer, state: Server) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(5)  # the body never comes: waiting for it would time out

    server = await serve(huge)
    http = pool(server.url, timeout_seconds=3.0)
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match="answer is larger than 4096 bytes"):
        await http.request("GET", "/")
    assert time.monotonic() - started < 1.0
    await http.aclose()


async def test_an_endless_answer_is_cut_off_at_the_bound(serve: Serve) -> None:
    closed = asyncio.Event()

    async def endless(reader: Reader, writer: Writer, state: Server) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"%x\r\n%s\r\n" % (16384, b"x" * 16384)
        try:
            while state.sent < 50_000_000:
                writer.write(chunk)
                await writer.drain()
                state.sent += 16384
        except ConnectionError:
            closed.set()

    server = await serve(endless)
    http = pool(server.url, max_bytes=100_000)
    with pytest.raises(SourceUnavailable, match="answer is larger than 100000 bytes"):
        await http.request("GET", "/")
    await asyncio.wait_for(closed.wait(), 5)  # the client hung up instead of reading on
    assert server.sent < 5_000_000
    await http.aclose()


async def test_redirects_are_answers_not_followed(serve: Serve) -> None:
    async def redirect(reader: Reader, writer: Writer, state: Server) -> None:
        while (request := await read_request(reader)) is not None:
            state.requests.append(request)
            writer.write(b"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()

    server = await serve(redirect)
    http = pool(server.url)
    got = await http.request("GET", "/parties")
    await http.aclose()
    assert (got.status, got.body) == (302, b"")
    assert len(server.requests) == 1


async def test_compressed_answers_are_not_inflated(serve: Serve) -> None:
    packed = gzip.compress(b"[" + b" " * 100_000 + b"]")

    async def compressed(reader: Reader, writer: Writer, state: Server) -> None:
        await read_request(reader)
        writer.write(answer(packed, b"Content-Encoding: gzip"))
        await writer.drain()

    server = await serve(compressed)
    http = pool(server.url)
    got = await http.request("GET", "/")
    await http.aclose()
    assert got.body == packed  # the bound applied to what came over the wire, unpacked never


async def test_a_kept_connection_the_server_closed_is_replaced(serve: Serve) -> None:
    async def one_answer_per_connection(reader: Reader, writer: Writer, state: Server) -> None:
        request = await read_request(reader)
        state.requests.append(request or b"")
        writer.write(answer(b"{}"))  # says nothing of closing ...
        await writer.drain()
        state.requests.append(await read_request(reader) or b"")  # ... then drops the next one

    server = await serve(one_answer_per_connection)
    http = pool(server.url)
    for _ in range(3):
        assert (await http.post_json("/", b"{}")).status == 200
    await http.aclose()
    # the second and third POST each met a kept connection that the server dropped, and
    # were sent again on a new one
    assert server.connections == 3
    assert len([request for request in server.requests if request]) == 5


async def _garbage(reader: Reader, writer: Writer, state: Server) -> None:
    await read_request(reader)
    writer.write(b"NOT HTTP AT ALL\r\n\r\n")
    await writer.drain()
    await asyncio.sleep(0.5)


async def _hang_up_mid_answer(reader: Reader, writer: Writer, state: Server) -> None:
    await read_request(reader)
    writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"part')
    await writer.drain()


async def _close_at_once(reader: Reader, writer: Writer, state: Server) -> None:
    await read_request(reader)


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (None, "could not be reached (Connection refused)"),
        (_garbage, "could not be reached (ClientResponseError)"),
        (_hang_up_mid_answer, "could not be reached (ClientPayloadError)"),
        (_close_at_once, "could not be reached (ServerDisconnectedError)"),
    ],
)
async def test_failures_are_unavailable_and_never_name_the_url(
    serve: Serve, handler: Handler | None, message: str
) -> None:
    url = (await serve(handler)).url if handler else f"http://127.0.0.1:{free_port()}"
    http = pool(url)
    with pytest.raises(SourceUnavailable) as caught:
        await http.request("GET", f"/reportees?subject={PID}")
    await http.aclose()
    assert str(caught.value) == f"register {message}"
    assert PID not in "".join(traceback.format_exception(caught.value))


@pytest.fixture(scope="module")
def private_ca(tmp_path_factory: pytest.TempPathFactory) -> PrivateCa:
    return make_private_ca(tmp_path_factory.mktemp("tls"))


async def test_tls_is_checked_against_the_public_roots_by_default(
    serve: Serve, private_ca: PrivateCa
) -> None:
    server = await serve(keep_alive, tls=private_ca.server_context())
    http = pool(server.url)
    with pytest.raises(SourceUnavailable, match="its TLS certificate is not trusted"):
        await http.request("GET", "/")
    await http.aclose()
    assert server.requests == []


async def test_tls_with_the_ca_a_setting_names(serve: Serve, private_ca: PrivateCa) -> None:
    server = await serve(keep_alive, tls=private_ca.server_context())
    http = pool(server.url, tls=tls_context(str(private_ca.ca_file)))
    assert (await http.request("GET", "/")).body == b'{"n": 1}'
    await http.aclose()
    assert server.requests[0].startswith(b"GET / HTTP/1.1\r\n")


def test_a_ca_file_that_cannot_be_read_is_a_settings_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.pem"
    with pytest.raises(SourceConfigError, match=r"source 'agency': ca_file .*missing\.pem"):
        tls_context(str(missing), where="source 'agency'")
    not_pem = tmp_path / "not.pem"
    not_pem.write_text("hello")
    with pytest.raises(SourceConfigError, match="cannot be read as PEM CA certificates"):
        tls_context(str(not_pem))
