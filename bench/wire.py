"""A small HTTP/1.1 client for the load loops: keep-alive connections, a cookie jar,
Basic auth, and nothing else.

Why not httpx here: on this 2-core machine the load generator shares the cores with
the providers it measures. httpx costs about 1 ms of CPU per request (URL models,
httpcore's pool, anyio), as much as a whole token exchange at either provider, so the
harness would be measuring itself. This client writes each request in one `write`,
parses answers with httptools (uvicorn's parser, already installed) and costs a
fraction of that. httpx still does everything outside the timed loops (discovery,
readiness checks).

Only what the benchmark's two providers need is supported: plain http on 127.0.0.1,
Content-Length or chunked answers, cookies matched by path (node-oidc-provider scopes
its interaction cookies to paths), no proxies, no compression, no redirects (the flow
follows them itself).
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import httptools

IDLE_SECONDS = 2.0
"""A pooled connection idle longer than this is dropped rather than reused: the
servers close idle keep-alive connections after a few seconds."""
TIMEOUT_SECONDS = 30.0


class WireError(RuntimeError):
    """The connection failed or the answer could not be read."""


@dataclass
class Response:
    status_code: int
    headers: dict[str, str]
    """Lower-case names; Set-Cookie is in `set_cookies`."""
    set_cookies: list[str]
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def is_redirect(self) -> bool:
        return self.status_code in (301, 302, 303, 307, 308) and "location" in self.headers


class _Reader:
    """httptools callbacks for one answer."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.set_cookies: list[str] = []
        self.chunks: list[bytes] = []
        self.complete = False
        self.keep_alive = False
        self.parser: httptools.HttpResponseParser | None = None

    def on_header(self, name: bytes, value: bytes) -> None:
        key = name.decode("latin-1").lower()
        if key == "set-cookie":
            self.set_cookies.append(value.decode("latin-1"))
        else:
            self.headers[key] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        # asked now: llhttp forgets it once the message is complete
        self.keep_alive = self.parser is not None and self.parser.should_keep_alive()

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        self.complete = True


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    idle_since: float = 0.0

    async def exchange(self, request: bytes) -> tuple[int, _Reader, bool]:
        self.writer.write(request)
        answer = _Reader()
        parser = answer.parser = httptools.HttpResponseParser(answer)
        while not answer.complete:
            data = await self.reader.read(65536)
            if not data:
                raise WireError("connection closed before the answer was complete")
            try:
                parser.feed_data(data)
            except httptools.HttpParserError as error:
                raise WireError(f"unreadable answer: {error}") from error
        return parser.get_status_code(), answer, answer.keep_alive

    def close(self) -> None:
        self.writer.close()


@dataclass
class Cookie:
    name: str
    value: str
    path: str


def parse_set_cookie(header: str, request_path: str) -> tuple[Cookie, bool]:
    """The cookie and whether it is being deleted (Max-Age=0 or an empty value)."""
    first, *attributes = header.split(";")
    name, _, value = first.strip().partition("=")
    path = request_path.rsplit("/", 1)[0] or "/"  # RFC 6265 5.1.4 default-path
    deleted = value == ""
    for attribute in attributes:
        key, _, attr_value = attribute.strip().partition("=")
        key = key.lower()
        if key == "path" and attr_value.startswith("/"):
            path = attr_value
        elif key == "max-age" and attr_value.strip().lstrip("-").isdigit():
            deleted = deleted or int(attr_value) <= 0
        elif key == "expires" and "1970" in attr_value:
            deleted = True
    return Cookie(name, value, path), deleted


def path_matches(cookie_path: str, request_path: str) -> bool:
    """RFC 6265 5.1.4."""
    if request_path == cookie_path:
        return True
    if not request_path.startswith(cookie_path):
        return False
    return cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"


@dataclass
class Session:
    """One browser (its own cookies) or one back-channel client (shared by many slots:
    each request takes an idle connection or opens one)."""

    keep_cookies: bool = True
    cookies: dict[tuple[str, str], Cookie] = field(default_factory=dict)
    _idle: dict[tuple[str, int], list[_Connection]] = field(default_factory=dict)

    async def get(self, url: str, params: Mapping[str, str] | None = None) -> Response:
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
        return await self.request("GET", url)

    async def post(
        self,
        url: str,
        *,
        data: Mapping[str, str] | None = None,
        content: str | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Response:
        body = urlencode(data) if data is not None else (content or "")
        return await self.request("POST", url, body.encode(), auth)

    async def request(
        self, method: str, url: str, body: bytes | None = None, auth: tuple[str, str] | None = None
    ) -> Response:
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        target = parts.path or "/"
        if parts.query:
            target = f"{target}?{parts.query}"
        lines = [f"{method} {target} HTTP/1.1", f"Host: {host}:{port}"]
        if auth is not None:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            lines.append(f"Authorization: Basic {token}")
        cookie = self._cookie_header(parts.path or "/")
        if cookie:
            lines.append(f"Cookie: {cookie}")
        if body is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Content-Length: {len(body)}")
        request = ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")
        async with asyncio.timeout(TIMEOUT_SECONDS):
            status, answer, _keep_alive = await self._exchange((host, port), request)
        if self.keep_cookies:
            self._store_cookies(answer.set_cookies, parts.path or "/")
        return Response(status, answer.headers, answer.set_cookies, b"".join(answer.chunks), url)

    async def _exchange(self, origin: tuple[str, int], request: bytes) -> tuple[int, _Reader, bool]:
        idle = self._idle.setdefault(origin, [])
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if now - connection.idle_since < IDLE_SECONDS:
                break
            connection.close()
        else:
            reader, writer = await asyncio.open_connection(*origin)
            connection = _Connection(reader, writer)
        try:
            status, answer, keep_alive = await connection.exchange(request)
        except (OSError, WireError):
            connection.close()
            raise
        if keep_alive:
            connection.idle_since = time.monotonic()
            idle.append(connection)
        else:
            connection.close()
        return status, answer, keep_alive

    def _cookie_header(self, path: str) -> str:
        return "; ".join(
            f"{c.name}={c.value}" for c in self.cookies.values() if path_matches(c.path, path)
        )

    def _store_cookies(self, headers: list[str], request_path: str) -> None:
        for header in headers:
            cookie, deleted = parse_set_cookie(header, request_path)
            key = (cookie.name, cookie.path)
            if deleted:
                self.cookies.pop(key, None)
            else:
                self.cookies[key] = cookie

    async def aclose(self) -> None:
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()
