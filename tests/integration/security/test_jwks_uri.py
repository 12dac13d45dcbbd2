"""Fetching a client's jwks_uri is guarded: the provider makes it for a request nobody
has authenticated yet, to an address a registration names. Only public addresses
(loopback, private and link-local refused unless `jwks_uri_allowed_networks` lists them,
after a redirect too), a body cut off as soon as it passes 64 KiB, and a failure
remembered for a few seconds instead of fetched again for every request."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.integration.security.support import (
    ClientKeys,
    SecurityDriver,
    public_jwks,
    security_clients,
)
from tests.support.oauth_checks import assert_json_error
from tests.support.provider import RunningProvider, run_provider
from tests.support.servers import answer_lifespan, free_port, serve_in_thread

MiB = 1024 * 1024


@dataclass
class KeyServer:
    """An ASGI app publishing a JWK Set, or misbehaving as asked, counting what it did."""

    jwks: dict[str, Any]
    mode: str = "keys"
    location: str = ""
    hits: int = 0
    sent: int = 0
    finished: list[bool] = field(default_factory=list)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await answer_lifespan(receive, send)
            return
        self.hits += 1
        if self.mode == "redirect":
            await self.answer(send, 302, b"", ((b"location", self.location.encode()),))
        elif self.mode == "error":
            await self.answer(send, 500, b"{}")
        elif self.mode in ("endless", "declared"):
            await self.flood(receive, send)
        else:
            await self.answer(send, 200, json.dumps(self.jwks).encode())

    async def answer(
        self, send: Any, status: int, body: bytes, headers: tuple[tuple[bytes, bytes], ...] = ()
    ) -> None:
        sent = [(b"content-type", b"application/json"), *headers]
        await send({"type": "http.response.start", "status": status, "headers": sent})
        await send({"type": "http.response.body", "body": body})

    async def flood(self, receive: Any, send: Any) -> None:
        """64 MiB of JSON-looking bytes, chunked or with its Content-Length, stopping
        when the provider hangs up."""
        gone = asyncio.Event()

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            gone.set()

        watcher = asyncio.create_task(watch())
        headers = [(b"content-type", b"application/json")]
        if self.mode == "declared":
            headers.append((b"content-length", str(64 * MiB).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        chunk = b'{"keys": [' + b" " * (64 * 1024 - 10)
        while self.sent < 64 * MiB and not gone.is_set():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            self.sent += len(chunk)
            await asyncio.sleep(0)
        self.finished.append(self.sent >= 64 * MiB)
        watcher.cancel()


@contextlib.contextmanager
def key_server_at(address: str, server: KeyServer) -> Iterator[str]:
    """Serve on `address` (any of 127.0.0.0/8); yields the jwks_uri."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind((address, 0))
    with serve_in_thread(server, sock):
        yield f"http://{address}:{sock.getsockname()[1]}/jwks.json"


@pytest.fixture
def uri_provider(
    sqlite_url: str, client_keys: ClientKeys
) -> Iterator[Callable[..., RunningProvider]]:
    """A provider whose `jwt-uri-service` publishes its keys at the given jwks_uri."""
    with contextlib.ExitStack() as stack:

        def start(jwks_uri: str, **settings: Any) -> RunningProvider:
            dead = f"http://127.0.0.1:{free_port()}/jwks.json"
            clients = security_clients(client_keys, jwks_uri=jwks_uri, dead_jwks_uri=dead)
            return stack.enter_context(run_provider(sqlite_url, {"clients": clients, **settings}))

        yield start


def token_request(provider: RunningProvider, keys: ClientKeys) -> httpx.Response:
    """A /token request authenticated by `jwt-uri-service`'s assertion (the code is
    made up: `invalid_grant` means the assertion was checked with the fetched keys)."""
    driver = SecurityDriver(provider.base_url, client_id="jwt-uri-service", keys=keys)
    try:
        return driver.redeem("not-a-code")
    finally:
        driver.close()


def refused(response: httpx.Response, why: str) -> None:
    body = assert_json_error(response, "invalid_client", status=401)
    assert why in body["error_description"], body


def test_by_default_loopback_is_refused_and_never_contacted(
    uri_provider: Callable[..., RunningProvider], client_keys: ClientKeys
) -> None:
    server = KeyServer(public_jwks(client_keys.uri_rsa))
    with key_server_at("127.0.0.1", server) as uri:
        refused(token_request(uri_provider(uri), client_keys), "public address")
        by_name = uri.replace("127.0.0.1", "localhost")
        refused(token_request(uri_provider(by_name), client_keys), "public address")
        assert server.hits == 0

        opted_in = uri_provider(uri, jwks_uri_allowed_networks=["127.0.0.1/32"])
        assert_json_error(token_request(opted_in, client_keys), "invalid_grant")
        assert server.hits == 1


@pytest.mark.parametrize(
    "uri", ["http://169.254.169.254/latest/meta-data/jwks", "http://10.0.0.1/jwks.json"]
)
def test_internal_addresses_are_refused(
    uri_provider: Callable[..., RunningProvider], client_keys: ClientKeys, uri: str
) -> None:
    provider = uri_provider(uri, jwks_uri_allowed_networks=["127.0.0.0/8"])
    refused(token_request(provider, client_keys), "public address")


@pytest.mark.parametrize("target", ["127.0.0.1", "169.254.169.254"])
def test_a_redirect_to_an_internal_address_is_refused(
    uri_provider: Callable[..., RunningProvider], client_keys: ClientKeys, target: str
) -> None:
    """The jwks_uri itself is allowed (127.0.0.2 is opted in); where it redirects is not."""
    keys = KeyServer(public_jwks(client_keys.uri_rsa))
    with key_server_at("127.0.0.1", keys) as internal:
        location = internal if target == "127.0.0.1" else "http://169.254.169.254/jwks"
        redirector = KeyServer({}, mode="redirect", location=location)
        with key_server_at("127.0.0.2", redirector) as uri:
            provider = uri_provider(uri, jwks_uri_allowed_networks=["127.0.0.2/32"])
            refused(token_request(provider, client_keys), "public address")
    assert redirector.hits == 1
    assert keys.hits == 0


def test_a_redirect_within_the_rules_is_followed(
    uri_provider: Callable[..., RunningProvider], client_keys: ClientKeys
) -> None:
    keys = KeyServer(public_jwks(client_keys.uri_rsa))
    with key_server_at("127.0.0.3", keys) as moved:
        redirector = KeyServer({}, mode="redirect", location=moved)
        with key_server_at("127.0.0.2", redirector) as uri:
            provider = uri_provider(uri, jwks_uri_allowed_networks=["127.0.0.0/8"])
            assert_json_error(token_request(provider, client_keys), "invalid_grant")
    assert (redirector.hits, keys.hits) == (1, 1)


@pytest.mark.parametrize("mode", ["endless", "declared"])
def test_a_large_body_is_abandoned_while_reading(
    uri_provider: Callable[..., RunningProvider], client_keys: ClientKeys, mode: str
) -> None:
    """64 MiB offered, chunked or with a Content-Length: the provider stops reading at
    64 KiB (what the server got out before it hung up is at most what the sockets'
    buffers hold)."""
    server = KeyServer({}, mode=mode)
    with key_server_at("127.0.0.4", server) as uri:
        provider = uri_provider(uri, jwks_uri_allowed_networks=["127.0.0.0/8"])
        refused(token_request(provider, client_keys), "too large")
        deadline = time.monotonic() + 10
        while not server.finished and time.monotonic() < deadline:
            time.sleep(0.05)
    assert server.finished == [False], "the whole body was read"
    assert server.sent < 16 * MiB


def test_a_failure_is_remembered_for_a_few_seconds(
    uri_provider: Callable[..., RunningProvider], client_keys: ClientKeys
) -> None:
    server = KeyServer({}, mode="error")
    with key_server_at("127.0.0.5", server) as uri:
        provider = uri_provider(uri, jwks_uri_allowed_networks=["127.0.0.0/8"])
        for _ in range(3):
            assert_json_error(token_request(provider, client_keys), "invalid_client", status=401)
    assert server.hits == 1
