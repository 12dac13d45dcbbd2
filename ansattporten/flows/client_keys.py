"""The public keys a `private_key_jwt` client registered: inline, or at its jwks_uri.

Keys fetched from a jwks_uri are cached for a few minutes per process (a cache, not
state: any instance can fetch them again). A client whose keys cannot be fetched cannot
authenticate; the provider does not guess.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from ansattporten.errors import InvalidClient
from ansattporten.records import Client

CACHE_SECONDS = 300.0
MAX_JWKS_BYTES = 64 * 1024
_cache: dict[str, tuple[float, dict[str, Any]]] = {}


async def client_jwks(client: Client) -> dict[str, Any]:
    if client.jwks:
        return client.jwks
    if not client.jwks_uri:
        raise InvalidClient("the client has no registered keys")
    cached = _cache.get(client.jwks_uri)
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    try:
        async with httpx.AsyncClient(timeout=3.0) as http:
            response = await http.get(client.jwks_uri)
        if response.status_code != 200 or len(response.content) > MAX_JWKS_BYTES:
            raise InvalidClient("the client's jwks_uri did not answer with its keys")
        jwks = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise InvalidClient("the client's jwks_uri could not be read") from exc
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise InvalidClient("the client's jwks_uri did not answer with a JWK Set")
    _cache[client.jwks_uri] = (time.monotonic(), jwks)
    return jwks
