"""The public keys a `private_key_jwt` client registered: inline, or at its jwks_uri.

Keys fetched from a jwks_uri are cached for a few minutes per process (a cache, not
state: any instance can fetch them again). A client whose keys cannot be fetched cannot
authenticate; the provider does not guess.

The fetch is made by the provider on a request nobody has authenticated yet, to an
address a registration names, so it is guarded:
- only public addresses: every address the host name resolves to must be global
  (no loopback, private, link-local such as 169.254.169.254, CGNAT, multicast ...),
  unless it lies in a network `jwks_uri_allowed_networks` lists; the connection goes
  to the address that was checked (the name is not resolved a second time), with the
  name kept for `Host` and TLS;
- a redirect is followed (at most `MAX_REDIRECTS`) only to where the same rules allow;
- the body is read in pieces and the fetch abandoned as soon as it passes
  `MAX_JWKS_BYTES` (a larger Content-Length is refused before reading anything);
- a failure is remembered for `FAILURE_CACHE_SECONDS`, so requests naming a client
  whose jwks_uri is down or refused do not each cost a fetch.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import msgspec

from ansattporten.errors import InvalidClient
from ansattporten.records import Client

CACHE_SECONDS = 300.0
FAILURE_CACHE_SECONDS = 10.0
MAX_JWKS_BYTES = 64 * 1024
MAX_REDIRECTS = 3
TIMEOUT_SECONDS = 3.0
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_cache: dict[tuple[str, tuple[str, ...]], tuple[float, dict[str, Any] | None]] = {}


async def client_jwks(client: Client, allowed_networks: list[str]) -> dict[str, Any]:
    if client.jwks:
        return client.jwks
    if not client.jwks_uri:
        raise InvalidClient("the client has no registered keys")
    key = (client.jwks_uri, tuple(allowed_networks))
    cached = _cache.get(key)
    if cached is not None:
        age = time.monotonic() - cached[0]
        if cached[1] is not None and age < CACHE_SECONDS:
            return cached[1]
        if cached[1] is None and age < FAILURE_CACHE_SECONDS:
            raise InvalidClient("the client's jwks_uri could not be read (a moment ago)")
    if len(_cache) > 10_000:
        _cache.clear()
    networks = [ipaddress.ip_network(each, strict=False) for each in allowed_networks]
    try:
        jwks = await fetch_jwks(client.jwks_uri, networks)
    except InvalidClient:
        _cache[key] = (time.monotonic(), None)
        raise
    _cache[key] = (time.monotonic(), jwks)
    return jwks


async def fetch_jwks(uri: str, allowed: list[Network]) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False) as http:
        for _ in range(MAX_REDIRECTS + 1):
            request = await pinned_request(http, uri, allowed)
            try:
                response = await http.send(request, stream=True)
                try:
                    if response.is_redirect and "location" in response.headers:
                        uri = urljoin(uri, response.headers["location"])
                        continue
                    if response.status_code != 200:
                        raise InvalidClient("the client's jwks_uri did not answer with its keys")
                    body = await read_bounded(response)
                finally:
                    await response.aclose()
            except httpx.HTTPError as exc:
                raise InvalidClient("the client's jwks_uri could not be read") from exc
            return as_jwks(body)
    raise InvalidClient("the client's jwks_uri redirects too often")


async def pinned_request(
    http: httpx.AsyncClient, uri: str, allowed: list[Network]
) -> httpx.Request:
    """A GET of `uri` sent to an address checked by `is_allowed`, with the host name in
    `Host` (and as TLS server name)."""
    parts = urlsplit(uri)
    host = parts.hostname
    if parts.scheme not in ("https", "http") or not host:
        raise InvalidClient("the client's jwks_uri is not an http(s) URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise InvalidClient("the client's jwks_uri names a host that does not resolve") from exc
    addresses = [ipaddress.ip_address(str(entry[4][0]).split("%", 1)[0]) for entry in found]
    if not addresses or not all(is_allowed(address, allowed) for address in addresses):
        raise InvalidClient("the client's jwks_uri is not at a public address")
    return http.build_request(
        "GET",
        httpx.URL(uri).copy_with(host=str(addresses[0])),
        headers={
            "Host": parts.netloc.rsplit("@", 1)[-1],
            "Accept": "application/json",
            "Accept-Encoding": "identity",  # the size cap counts what is kept in memory
        },
        extensions={"sni_hostname": host},
    )


def is_allowed(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, allowed: list[Network]
) -> bool:
    """A global address (or one inside an allowed network). IPv6 forms that carry an
    IPv4 address (mapped, 6to4, NAT64) are judged by that address too."""
    if any(address in network for network in allowed):
        return True
    if not address.is_global or address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_allowed(embedded, allowed)
    return True


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


async def read_bounded(response: httpx.Response) -> bytes:
    """The body, read in pieces; refused as soon as it passes `MAX_JWKS_BYTES`."""
    if response.headers.get("content-encoding", "identity").lower() != "identity":
        raise InvalidClient("the client's jwks_uri answered with an encoding not asked for")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_JWKS_BYTES:
        raise InvalidClient("the client's JWK Set is too large")
    body = bytearray()
    async for chunk in response.aiter_raw():
        body += chunk
        if len(body) > MAX_JWKS_BYTES:
            raise InvalidClient("the client's JWK Set is too large")
    return bytes(body)


def as_jwks(body: bytes) -> dict[str, Any]:
    try:
        jwks: object = msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise InvalidClient("the client's jwks_uri did not answer with JSON") from exc
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise InvalidClient("the client's jwks_uri did not answer with a JWK Set")
    return jwks
