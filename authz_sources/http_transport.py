"""An httpx transport for the register clients: HTTP/1.1 keep-alive on asyncio streams,
answers parsed by httptools.

Why: a login asks its register twice (for the picker, then to re-check the choice),
and with httpx's default transport each call cost about 0.5 ms of the provider's CPU,
most of it in httpcore's pure-Python HTTP parser (h11) and its anyio layers. That was a
fifth of a whole login's CPU. This transport does the same job with uvicorn's C parser
(httptools, already a dependency through `uvicorn[standard]`) and costs a fraction.
Everything above it stays httpx: the clients, timeouts, headers and error types.

What it does: http and https (certificate checked against certifi's roots, as httpx
does), a bounded pool per origin (waiting for a free connection is a `PoolTimeout`),
streamed answers (a size bound can stop reading early), connections reused only when
the answer was read to the end and the server keeps them alive. A reused connection
that the server had already closed is retried once on a new one: nothing was sent to
a server that had gone. What it leaves out: HTTP/2, proxies, HEAD requests, `Expect:
100-continue`; the registers need none of them.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import certifi
import httptools
import httpx

IDLE_SECONDS = 4.0
"""Idle pooled connections older than this are closed, not reused: servers close idle
keep-alive connections after a few seconds (uvicorn: 5 s)."""


class _Answer:
    """httptools callbacks: status line and headers, then body chunks as they come."""

    def __init__(self) -> None:
        self.headers: list[tuple[bytes, bytes]] = []
        self.headers_done = False
        self.chunks: list[bytes] = []
        self.complete = False
        self.keep_alive = False
        self.parser: httptools.HttpResponseParser | None = None

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        # asked now: llhttp forgets it once the message is complete
        self.keep_alive = self.parser is not None and self.parser.should_keep_alive()
        self.headers_done = True

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        self.complete = True

    def reads_to_close(self) -> bool:
        """An answer with neither Content-Length nor chunked encoding ends at EOF."""
        names = {name.lower() for name, _ in self.headers}
        return b"content-length" not in names and b"transfer-encoding" not in names


@dataclass(eq=False)
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    reused: bool = False
    idle_since: float = 0.0

    def usable(self, now: float) -> bool:
        return now - self.idle_since < IDLE_SECONDS and not self.reader.at_eof()

    def close(self) -> None:
        self.writer.close()


@dataclass
class _Origin:
    limit: asyncio.Semaphore
    idle: list[_Connection] = field(default_factory=list)


class _Stream(httpx.AsyncByteStream):
    """The answer's body as it arrives; gives the connection back when read to the end."""

    def __init__(
        self,
        transport: HttptoolsTransport,
        origin: _Origin,
        connection: _Connection,
        parser: httptools.HttpResponseParser,
        answer: _Answer,
        read_timeout: float | None,
    ) -> None:
        self._transport = transport
        self._origin = origin
        self._connection: _Connection | None = connection
        self._parser = parser
        self._answer = answer
        self._read_timeout = read_timeout

    async def __aiter__(self) -> AsyncIterator[bytes]:
        answer = self._answer
        while True:
            if answer.chunks:
                chunks, answer.chunks = answer.chunks, []
                for chunk in chunks:
                    yield chunk
            if answer.complete or self._connection is None:
                return
            if not await self._transport.read_more(
                self._connection, self._parser, answer, self._read_timeout
            ):
                raise httpx.RemoteProtocolError("the server closed the connection mid-answer")

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        if self._answer.complete and self._answer.keep_alive:
            connection.idle_since = time.monotonic()
            self._origin.idle.append(connection)
        else:
            connection.close()
        self._origin.limit.release()


class HttptoolsTransport(httpx.AsyncBaseTransport):
    def __init__(self, *, max_connections: int = 32) -> None:
        self._max_connections = max_connections
        self._origins: dict[tuple[bytes, bytes, int], _Origin] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ssl: ssl.SSLContext | None = None

    def _ssl_context(self) -> ssl.SSLContext:
        if self._ssl is None:
            self._ssl = ssl.create_default_context(cafile=certifi.where())
        return self._ssl

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https") or request.method == "HEAD":
            raise httpx.UnsupportedProtocol(f"not supported here: {request.method} {url.scheme}")
        port = url.port or (443 if url.scheme == "https" else 80)
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            # pooled connections and the pool's semaphores belong to the loop that made
            # them (a start-up check under asyncio.run, say); a new loop starts afresh
            self._loop, self._origins = loop, {}
        key = (url.raw_scheme, url.raw_host, port)
        origin = self._origins.get(key)
        if origin is None:
            origin = self._origins[key] = _Origin(asyncio.Semaphore(self._max_connections))
        timeouts = request.extensions.get("timeout", {})
        if origin.limit.locked():  # all connections busy: wait, but only so long
            try:
                async with asyncio.timeout(timeouts.get("pool")):
                    await origin.limit.acquire()
            except TimeoutError as exc:
                raise httpx.PoolTimeout("no free connection", request=request) from exc
        else:  # a permit is free: taken at once, no deadline to arm and cancel
            await origin.limit.acquire()
        try:
            head = self._head(request)
            body = await request.aread()
            for attempt in (1, 2):
                connection = await self._connection(origin, url.host, port, url.scheme, timeouts)
                try:
                    return await self._exchange(
                        request, origin, connection, head + body, timeouts.get("read")
                    )
                except _ClosedBeforeAnswer:
                    connection.close()
                    if not connection.reused or attempt == 2:
                        raise httpx.RemoteProtocolError(
                            "the server closed the connection without answering",
                            request=request,
                        ) from None
                except BaseException:
                    connection.close()
                    raise
            raise AssertionError("unreachable")
        except BaseException:
            origin.limit.release()
            raise

    @staticmethod
    def _head(request: httpx.Request) -> bytes:
        lines = [b"%s %s HTTP/1.1" % (request.method.encode(), request.url.raw_path)]
        lines += [b"%s: %s" % (name, value) for name, value in request.headers.raw]
        return b"\r\n".join(lines) + b"\r\n\r\n"

    async def _connection(
        self, origin: _Origin, host: str, port: int, scheme: str, timeouts: dict[str, float]
    ) -> _Connection:
        now = time.monotonic()
        while origin.idle:
            connection = origin.idle.pop()
            if connection.usable(now):
                connection.reused = True
                return connection
            connection.close()
        tls = self._ssl_context() if scheme == "https" else None
        try:
            async with asyncio.timeout(timeouts.get("connect")):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=tls, server_hostname=host if tls else None
                )
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"connecting to {host}:{port} timed out") from exc
        except OSError as exc:
            raise httpx.ConnectError(f"cannot connect to {host}:{port}: {exc}") from exc
        return _Connection(reader, writer)

    async def _exchange(
        self,
        request: httpx.Request,
        origin: _Origin,
        connection: _Connection,
        data: bytes,
        read_timeout: float | None,
    ) -> httpx.Response:
        try:
            connection.writer.write(data)
            await connection.writer.drain()
        except OSError as exc:
            if connection.reused:
                raise _ClosedBeforeAnswer from exc
            raise httpx.WriteError(str(exc), request=request) from exc
        answer = _Answer()
        parser = answer.parser = httptools.HttpResponseParser(answer)
        received = False
        while not answer.headers_done:
            if not await self.read_more(connection, parser, answer, read_timeout):
                if not received:
                    raise _ClosedBeforeAnswer
                raise httpx.RemoteProtocolError("the server closed the connection mid-answer")
            received = True
        stream = _Stream(self, origin, connection, parser, answer, read_timeout)
        return httpx.Response(
            parser.get_status_code(),
            headers=answer.headers,
            stream=stream,
            extensions={"http_version": b"HTTP/1.1"},
        )

    @staticmethod
    async def read_more(
        connection: _Connection,
        parser: httptools.HttpResponseParser,
        answer: _Answer,
        read_timeout: float | None,
    ) -> bool:
        """Feed the parser one read's worth of bytes; False when the server closed the
        connection before the answer was complete."""
        try:
            async with asyncio.timeout(read_timeout):
                data = await connection.reader.read(65536)
        except TimeoutError as exc:
            raise httpx.ReadTimeout("the server did not answer in time") from exc
        except OSError as exc:
            raise httpx.ReadError(str(exc)) from exc
        if not data:
            if answer.headers_done and answer.reads_to_close():
                answer.complete = True
                return True
            return False
        try:
            parser.feed_data(data)
        except httptools.HttpParserError as exc:
            raise httpx.RemoteProtocolError(f"malformed answer: {exc}") from exc
        return True

    async def aclose(self) -> None:
        for origin in self._origins.values():
            for connection in origin.idle:
                connection.close()
            origin.idle.clear()


class _ClosedBeforeAnswer(Exception):
    """A reused connection turned out closed before any byte of the answer."""
