"""HTTP for every register call: aiohttp's client, held to what a login needs.

Why aiohttp: measured in the running provider, a login cost the same CPU with it as
with the HTTP client the project used to write itself (within 2 %), where httpx's own
transport cost 55-60 % more and httpx over aiohttp 5-20 % more
(`python -m bench clients --logins`; docs/architecture.md has the figures).

What every call gets, whichever register it asks:

- one pool per register: at most `max_connections` open connections; a call waits for
  a free one, within its deadline;
- one deadline over the whole call: waiting for a connection, connecting, TLS, sending
  and reading the answer to its end (a register dribbling bytes cannot hold a login);
- the answer read while it streams and never past `max_bytes` (a declared length over
  it is refused before reading); a connection left with unread bytes is closed;
- TLS checked against certifi's roots, or only against the CAs of a `ca_file` setting;
- no redirects followed, no decompression (it asks for `identity`: a compressed answer
  would be inflated past the bound), no cookies kept, no proxy taken from the
  environment;
- a connection idle for `IDLE_SECONDS` is not reused (servers close idle ones after a
  few seconds), and a request that meets a connection the server closed without
  answering is sent once more, on a new one: register calls are queries;
- every failure as `SourceUnavailable` under the caller's label, so the login fails
  closed. No message carries a URL: Altinn 2 puts the person's number in the query.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import ssl
import time
from collections.abc import Mapping
from typing import NamedTuple, Protocol

import aiohttp
import certifi
from yarl import URL

from authz_sources.errors import SourceUnavailable
from authz_sources.registry import SourceConfigError

logger = logging.getLogger(__name__)

IDLE_SECONDS = 4.0
"""Pooled connections idle longer than this are closed, not reused (uvicorn closes
idle keep-alive connections after 5 s)."""
MAX_PARSED_URLS = 256
"""Parsed URLs kept per pool (each distinct URL string once; a query the caller passes
as `params` is not part of it)."""


class RegisterSettings(Protocol):
    """The settings every HTTP register source has."""

    @property
    def base_url(self) -> str: ...
    @property
    def timeout_ms(self) -> int: ...
    @property
    def max_bytes(self) -> int: ...
    @property
    def max_connections(self) -> int: ...
    @property
    def ca_file(self) -> str | None: ...


class Answer(NamedTuple):
    """A register's answer, read whole (under the size bound)."""

    status: int
    content_type: str
    """The Content-Type header as sent ('' when there was none)."""
    body: bytes

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters, lower case."""
        return self.content_type.partition(";")[0].strip().lower()

    @property
    def is_json(self) -> bool:
        media_type = self.media_type
        return media_type == "application/json" or media_type.endswith("+json")


class _Call(NamedTuple):
    """One request as `RegisterHttp.request` was asked for it."""

    method: str
    url: URL
    body: bytes | None
    params: Mapping[str, str | int] | None
    headers: Mapping[str, str] | None
    read_body: bool
    label: str
    max_bytes: int


@functools.cache
def _certifi_context() -> ssl.SSLContext:
    """One context for every pool: loading certifi's roots takes tens of milliseconds."""
    return ssl.create_default_context(cafile=certifi.where())


def tls_context(ca_file: str | None = None, *, where: str = "ca_file") -> ssl.SSLContext:
    """Certificates checked against certifi's roots, or against `ca_file`'s CAs alone
    (a register with a private CA). Read now, so a bad file stops start-up with a
    `SourceConfigError` that starts with `where` (say, "source 'agency'")."""
    if ca_file is None:
        return _certifi_context()
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or exc
        raise SourceConfigError(
            f"{where}: ca_file {ca_file!r} cannot be read as PEM CA certificates ({reason})"
        ) from None


def check_register_settings(settings: RegisterSettings) -> None:
    """The bounds of the keys every HTTP register source has (`ValueError` naming the
    key), for its settings' `__post_init__`."""
    if not settings.base_url.startswith(("http://", "https://")):
        raise ValueError("base_url must be an http:// or https:// URL")
    if not 0 < settings.timeout_ms <= 30_000:
        raise ValueError("timeout_ms must be between 1 and 30000")
    if settings.max_bytes < 1024:
        raise ValueError("max_bytes must be at least 1024")
    if settings.max_connections < 1:
        raise ValueError("max_connections must be at least 1")


class RegisterHttp:
    """One register's pooled client: every call under the deadline and the size bound,
    every failure `SourceUnavailable` naming `label`, never the person.

    The pool belongs to the event loop that opened it, so it is opened on first use,
    and a call from another loop (a check under `asyncio.run` before the server's loop
    starts, say) gets a new one. `async with RegisterHttp(...) as http:` closes it at
    the end of the block (a client used for one token fetch)."""

    def __init__(
        self,
        label: str,
        *,
        headers: Mapping[str, str],
        timeout_seconds: float,
        max_bytes: int,
        max_connections: int,
        tls: ssl.SSLContext | None = None,
        base_url: str = "",
    ) -> None:
        self.label = label
        self.deadline = timeout_seconds
        self.max_bytes = max_bytes
        self._headers = {"Accept": "application/json", "Accept-Encoding": "identity", **headers}
        self._max_connections = max_connections
        self._tls = tls or _certifi_context()
        self._base_url = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._urls: dict[str, URL] = {}
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def for_register(
        cls, label: str, settings: RegisterSettings, headers: Mapping[str, str], *, source: str
    ) -> RegisterHttp:
        """The pool for the settings of the register source named `source` (a bad
        `ca_file` is a `SourceConfigError` naming it)."""
        return cls(
            label,
            headers=headers,
            timeout_seconds=settings.timeout_ms / 1000,
            max_bytes=settings.max_bytes,
            max_connections=settings.max_connections,
            tls=tls_context(settings.ca_file, where=f"source {source!r}"),
            base_url=settings.base_url,
        )

    def _pool(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        session = self._session
        if session is not None and not session.closed and self._loop is loop:
            return session
        if session is not None and self._loop is not loop:
            logger.warning("%s client used from a new event loop; old pool dropped", self.label)
            session.detach()  # its sockets belong to the other loop; they cannot be closed here
        connector = aiohttp.TCPConnector(
            limit=self._max_connections,
            limit_per_host=self._max_connections,
            keepalive_timeout=IDLE_SECONDS,
            ssl=self._tls,
        )
        self._loop = loop
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers=self._headers,
            timeout=self._timeout,
            auto_decompress=False,
            cookie_jar=aiohttp.DummyCookieJar(),
        )
        return self._session

    def _url(self, target: str) -> URL:
        """`target` under the base URL (or absolute when there is none), parsed once."""
        url = self._urls.get(target)
        if url is None:
            if len(self._urls) >= MAX_PARSED_URLS:
                self._urls.clear()
            url = self._urls[target] = URL(self._base_url + target)
        return url

    async def request(
        self,
        method: str,
        target: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        read_body: bool = True,
        what: str | None = None,
        max_bytes: int | None = None,
    ) -> Answer:
        """One request and its answer; `SourceUnavailable` for anything but an answer.
        `target` is a path under the base URL (or a whole URL when there is none);
        `what` names the call in messages instead of the pool's label; without
        `read_body` the body is not read (and the connection not reused)."""
        label = what or self.label
        if content_type is not None:
            headers = (
                {**headers, "Content-Type": content_type}
                if headers
                else {"Content-Type": content_type}
            )
        call = _Call(
            method,
            self._url(target),
            body,
            params,
            headers,
            read_body,
            label,
            max_bytes or self.max_bytes,
        )
        started = time.monotonic()
        try:
            try:
                return await self._exchange(call, self._timeout)
            except (aiohttp.ServerDisconnectedError, _ResetBeforeAnswer):
                # a kept connection the server had closed: once more, on a new one, in
                # what is left of the deadline
                left = self.deadline - (time.monotonic() - started)
                return await self._exchange(call, aiohttp.ClientTimeout(total=max(left, 0.001)))
        except TimeoutError:
            raise SourceUnavailable(f"{label} did not answer within {self.deadline:g} s") from None
        except _ResetBeforeAnswer:
            raise SourceUnavailable(f"{label} could not be reached (connection reset)") from None
        except aiohttp.ClientConnectorCertificateError:
            raise SourceUnavailable(
                f"{label} could not be reached (its TLS certificate is not trusted)"
            ) from None
        except aiohttp.ClientConnectorError as exc:
            number = exc.os_error.errno
            reason = os.strerror(number) if number else type(exc.os_error).__name__
            raise SourceUnavailable(f"{label} could not be reached ({reason})") from None
        except aiohttp.ClientError as exc:
            raise SourceUnavailable(
                f"{label} could not be reached ({type(exc).__name__})"
            ) from None

    async def _exchange(self, call: _Call, limit: aiohttp.ClientTimeout) -> Answer:
        """One attempt, under `limit` from sending to the last byte read (aiohttp's
        total timeout runs until the answer is read and its connection given back)."""
        try:
            response = await self._pool().request(
                call.method,
                call.url,
                params=call.params,
                data=call.body,
                headers=call.headers,
                allow_redirects=False,
                timeout=limit,
            )
        except aiohttp.ClientConnectorError:
            raise
        except aiohttp.ClientOSError as exc:  # the kept connection was reset under the request
            raise _ResetBeforeAnswer from exc
        try:
            content_type = response.headers.get("Content-Type", "")
            if not call.read_body:
                response.close()
                return Answer(response.status, content_type, b"")
            declared = response.content_length
            if declared is not None and declared > call.max_bytes:
                raise SourceUnavailable(
                    f"{call.label} answer is larger than {call.max_bytes} bytes"
                )
            chunks: list[bytes] = []
            size = 0
            while chunk := await response.content.readany():
                size += len(chunk)
                if size > call.max_bytes:
                    raise SourceUnavailable(
                        f"{call.label} answer is larger than {call.max_bytes} bytes"
                    )
                chunks.append(chunk)
        except BaseException:
            response.close()  # never reuse a connection with an answer half read
            raise
        response.release()
        return Answer(
            response.status, content_type, chunks[0] if len(chunks) == 1 else b"".join(chunks)
        )

    async def post_json(
        self, target: str, body: bytes, headers: Mapping[str, str] | None = None
    ) -> Answer:
        """A POST of a JSON body (with `headers` of this request only)."""
        return await self.request(
            "POST", target, body=body, content_type="application/json", headers=headers
        )

    async def aclose(self) -> None:
        """Close the pool (safe to call more than once; the next call opens a new one)."""
        session, self._session = self._session, None
        if session is None or session.closed:
            return
        if self._loop is asyncio.get_running_loop():
            await session.close()
        else:
            session.detach()

    async def __aenter__(self) -> RegisterHttp:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()


class _ResetBeforeAnswer(Exception):
    """The connection failed while the request was sent, before any answer."""
