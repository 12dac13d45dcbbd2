"""HTTP plumbing every register client needs, in one place.

A register answer is read with a size bound while it streams (never trusting the
declared length), must be JSON, and every transport failure or late answer becomes
`SourceUnavailable` under the caller's label, so the provider fails the login closed.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, Protocol

import anyio
import httpx

from authz_sources.errors import SourceUnavailable
from authz_sources.http_transport import HttptoolsTransport


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
    """One register's pooled client, with the deadline every call runs under and the
    size bound every answer is read with; errors say `label`, never the person."""

    def __init__(
        self,
        label: str,
        settings: RegisterSettings,
        headers: Mapping[str, str],
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.label = label
        self.deadline = settings.timeout_ms / 1000
        self.max_bytes = settings.max_bytes
        self.http = register_client(
            settings.base_url,
            headers,
            timeout=self.deadline,
            max_connections=settings.max_connections,
            transport=transport,
        )

    @contextlib.asynccontextmanager
    async def stream(self, method: str, path: str, **kwargs: Any) -> AsyncIterator[httpx.Response]:
        """A request under the deadline; late or failed transport is `SourceUnavailable`."""
        with failures_as_unavailable(self.label, self.deadline):
            async with self.http.stream(method, path, **kwargs) as response:
                yield response

    def post_json(
        self, path: str, body: bytes, headers: Mapping[str, str] | None = None
    ) -> contextlib.AbstractAsyncContextManager[httpx.Response]:
        """`stream` for a POST of a JSON body (with `headers` of this request only)."""
        sent = {"Content-Type": "application/json", **(headers or {})}
        return self.stream("POST", path, content=body, headers=sent)

    async def body(self, response: httpx.Response) -> bytes:
        return await read_bounded(response, self.max_bytes, self.label)

    async def aclose(self) -> None:
        await self.http.aclose()


def register_client(
    base_url: str,
    headers: Mapping[str, str],
    *,
    timeout: float,
    max_connections: int,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """A pooled client that asks for uncompressed JSON (a compressed answer would be
    inflated before the size bound applies) and never follows redirects. Its transport
    is `HttptoolsTransport` unless the caller brings one (tests bring ASGI ones)."""
    return httpx.AsyncClient(
        base_url=base_url.rstrip("/"),
        headers={"Accept": "application/json", "Accept-Encoding": "identity", **headers},
        timeout=timeout,
        limits=httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        ),
        follow_redirects=False,
        transport=transport or HttptoolsTransport(max_connections=max_connections),
    )


async def read_bounded(response: httpx.Response, max_bytes: int, label: str) -> bytes:
    """The body, or `SourceUnavailable` as soon as it grows past `max_bytes`."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise SourceUnavailable(f"{label} answer is larger than {max_bytes} bytes")
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise SourceUnavailable(f"{label} answer is larger than {max_bytes} bytes")
    return bytes(body)


def is_json(response: httpx.Response) -> bool:
    header: str = response.headers.get("content-type", "")
    media_type = header.split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


@contextlib.contextmanager
def failures_as_unavailable(label: str, deadline: float) -> Iterator[None]:
    """Run a request under `deadline`; late or failed transport is `SourceUnavailable`."""
    try:
        with anyio.fail_after(deadline):
            yield
    except TimeoutError as exc:
        raise SourceUnavailable(f"{label} did not answer within {deadline:g} s") from exc
    except httpx.HTTPError as exc:
        raise SourceUnavailable(f"{label} could not be reached ({type(exc).__name__})") from exc
