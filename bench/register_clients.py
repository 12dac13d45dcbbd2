"""The HTTP clients compared for register calls (`python -m bench clients`).

Every variant makes the call a login makes twice: Altinn's authorized-parties POST
with the person's identifier as a JSON body, the answer read under a size bound while
it streams, checked for status 200 and decoded strictly (msgspec) into the wire type.
Same headers, a pool of up to 32 keep-alive connections per origin, a 2 s deadline.

`ours` is the provider's own Altinn client (`AltinnClient`, on aiohttp through
`authz_sources.register_http`), with its token handling, URL building, error mapping and
decoding. The others call a library directly, as an Altinn client written on it would:
httpx's `AsyncClient`, aiohttp, niquests, curl_cffi, pyreqwest, aiosonic; `aiohttp`
against `ours` is what the project's layer over aiohttp costs. (Until the project
deleted its own HTTP/1.1 transport, three more variants put the Altinn client over it,
over httpx's default transport and over httpx-aiohttp: bench/results/, "preliminary".)
A library that is not installed is reported as such (`pip install -e '.[bench]'`).
niquests is not in that extra: its urllib3-future installs itself as `urllib3`, which
breaks requests in the same environment (the test suite's schemathesis runs on it), so
measure it in a virtualenv of its own.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import httpx
import msgspec

from authz_sources.altinn.client import PARTIES_PATH, PARTIES_QUERY, AltinnClient
from authz_sources.altinn.settings import AltinnSettings
from authz_sources.altinn.wire import PERSON_IDENTIFIER, AuthorizedParty
from bench import config

RESOURCE_ID = config.RESOURCE.removeprefix("urn:altinn:resource:")
PATH = f"{PARTIES_PATH}?{PARTIES_QUERY}&anyOfResourceIds={RESOURCE_ID}"
"""What the provider's Altinn client asks for the bench's one requested resource."""
HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}
MAX_BYTES = AltinnSettings(base_url="http://unused").max_response_bytes
TIMEOUT_SECONDS = 2.0
POOL = 32

Call = Callable[[], Awaitable[int]]
"""One register call; returns the number of parties in the answer."""
Variant = Callable[[str], contextlib.AbstractAsyncContextManager[Call]]
"""base URL -> a client, opened, whose `Call` the probe repeats."""


class CallFailed(RuntimeError):
    """The register did not answer 200 with a readable list."""


def request_body() -> bytes:
    return json.dumps({"type": PERSON_IDENTIFIER, "value": config.person()}).encode()


def answer_size(base_url: str) -> int:
    """Bytes of the register's answer to the call, for the report."""
    response = httpx.post(base_url + PATH, content=request_body(), headers=HEADERS)
    return len(response.content)


def decoded(status: int, body: bytes) -> int:
    if status != 200:
        raise CallFailed(f"HTTP {status}")
    return len(msgspec.json.decode(body, type=list[AuthorizedParty]))


class Bounded:
    """Collects an answer's chunks, failing as soon as they pass `MAX_BYTES`."""

    def __init__(self, declared: str | None) -> None:
        if declared is not None and declared.isdigit() and int(declared) > MAX_BYTES:
            raise CallFailed("declared answer too large")
        self.chunks: list[bytes] = []
        self.size = 0

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_BYTES:
            raise CallFailed("answer too large")
        self.chunks.append(chunk)

    def body(self) -> bytes:
        return b"".join(self.chunks)


# the provider's own Altinn client ---------------------------------------------------------


@contextlib.asynccontextmanager
async def ours(base_url: str) -> AsyncIterator[Call]:
    """The provider's Altinn client, as a login calls it."""
    client = AltinnClient(AltinnSettings(base_url=base_url, timeout_ms=int(TIMEOUT_SECONDS * 1000)))
    pid = config.person()

    async def call() -> int:
        return len(await client.authorized_parties(pid, (RESOURCE_ID,)))

    try:
        yield call
    finally:
        await client.aclose()


# libraries called directly ----------------------------------------------------------------


@contextlib.asynccontextmanager
async def httpx_client(base_url: str) -> AsyncIterator[Call]:
    """`httpx.AsyncClient.stream`, default transport: the idiomatic httpx call."""
    limits = httpx.Limits(max_connections=POOL, max_keepalive_connections=POOL)
    body = request_body()
    async with httpx.AsyncClient(
        base_url=base_url, headers=HEADERS, timeout=TIMEOUT_SECONDS, limits=limits
    ) as client:

        async def call() -> int:
            async with client.stream("POST", PATH, content=body) as response:
                answer = Bounded(response.headers.get("content-length"))
                async for chunk in response.aiter_raw():
                    answer.add(chunk)
                return decoded(response.status_code, answer.body())

        yield call


@contextlib.asynccontextmanager
async def aiohttp_client(base_url: str) -> AsyncIterator[Call]:
    import aiohttp

    body = request_body()
    url = base_url + PATH
    connector = aiohttp.TCPConnector(limit_per_host=POOL)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(
        connector=connector, headers=HEADERS, timeout=timeout, auto_decompress=False
    ) as session:

        async def call() -> int:
            async with session.post(url, data=body) as response:
                answer = Bounded(response.headers.get("Content-Length"))
                async for chunk in response.content.iter_any():
                    answer.add(chunk)
                return decoded(response.status, answer.body())

        yield call


@contextlib.asynccontextmanager
async def niquests_client(base_url: str) -> AsyncIterator[Call]:
    import niquests

    body = request_body()
    url = base_url + PATH
    async with niquests.AsyncSession(
        pool_connections=1, pool_maxsize=POOL, disable_http2=True, disable_http3=True
    ) as session:

        async def call() -> int:
            response = await session.post(
                url, data=body, headers=HEADERS, timeout=TIMEOUT_SECONDS, stream=True
            )
            answer = Bounded(response.headers.get("Content-Length"))
            async for chunk in await response.iter_content(65536):
                answer.add(chunk)
            return decoded(response.status_code or 0, answer.body())

        yield call


@contextlib.asynccontextmanager
async def curl_cffi_client(base_url: str) -> AsyncIterator[Call]:
    from curl_cffi.requests import AsyncSession

    body = request_body()
    url = base_url + PATH
    async with AsyncSession(max_clients=POOL) as session:

        async def call() -> int:
            response = await session.post(
                url, data=body, headers=HEADERS, timeout=TIMEOUT_SECONDS, stream=True
            )
            try:
                answer = Bounded(response.headers.get("Content-Length"))
                async for chunk in response.aiter_content():
                    answer.add(chunk)
                return decoded(response.status_code, answer.body())
            finally:
                await response.aclose()

        yield call


@contextlib.asynccontextmanager
async def pyreqwest_client(base_url: str) -> AsyncIterator[Call]:
    from pyreqwest.client import ClientBuilder

    body = request_body()
    url = base_url + PATH
    builder = (
        ClientBuilder()
        .max_connections(POOL)
        .timeout(timedelta(seconds=TIMEOUT_SECONDS))
        .default_headers(HEADERS)
        .http1_only()
    )
    async with builder.build() as client:

        async def call() -> int:
            request = client.post(url).body_bytes(body).build_streamed()
            async with request as response:
                answer = Bounded(response.get_header("content-length"))
                reader = response.body_reader
                while (chunk := await reader.read_chunk()) is not None:
                    answer.add(bytes(chunk))
                return decoded(response.status, answer.body())

        yield call


@contextlib.asynccontextmanager
async def aiosonic_client(base_url: str) -> AsyncIterator[Call]:
    import aiosonic
    from aiosonic.connectors import TCPConnector
    from aiosonic.timeout import Timeouts

    body = request_body()
    url = base_url + PATH
    timeouts = Timeouts(request_timeout=TIMEOUT_SECONDS)
    connector = TCPConnector(pool_configs={":default": {"size": POOL}}, timeouts=timeouts)
    client = aiosonic.HTTPClient(connector=connector)
    try:

        async def call() -> int:
            response = await client.post(url, data=body, headers=HEADERS)
            # its chunk reader expects chunked encoding only: the body is read whole,
            # bounded by the declared length (aiosonic refuses more than it declares)
            answer = Bounded(response.headers.get("Content-Length"))
            answer.add(await response.content())
            return decoded(response.status_code, answer.body())

        yield call
    finally:
        await connector.cleanup()


VARIANTS: dict[str, tuple[Variant, str]] = {
    "ours": (ours, "the provider's AltinnClient (aiohttp, authz_sources.register_http)"),
    "httpx": (httpx_client, "httpx.AsyncClient.stream, default transport"),
    "aiohttp": (aiohttp_client, "aiohttp.ClientSession"),
    "niquests": (niquests_client, "niquests.AsyncSession (urllib3-future)"),
    "curl-cffi": (curl_cffi_client, "curl_cffi AsyncSession (libcurl)"),
    "pyreqwest": (pyreqwest_client, "pyreqwest (Rust reqwest/hyper)"),
    "aiosonic": (aiosonic_client, "aiosonic.HTTPClient"),
}
"""name -> (opens a client, what it is)."""
