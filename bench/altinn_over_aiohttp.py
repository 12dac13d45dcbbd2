"""The provider's Altinn client with its one request method, `AltinnHttp._send`, done
by aiohttp directly instead of httpx: what an Altinn client written on aiohttp would
cost per login, measured in the running provider (`python -m bench clients --logins`,
the `aiohttp` way). Installed by `bench.provider_with_transport` in the provider's own
process only; the provider's code is not changed (`fetch` around it still renews a
refused token).

It keeps the contract of the method it replaces: the same headers, one pooled session
per event loop (at most 32 connections per origin), the settings' deadline, certificate
checks against certifi's roots, the body read under `max_response_bytes` while it
streams, and every failure as `SourceUnavailable`.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Mapping
from typing import Any

import aiohttp
import certifi
from yarl import URL

from authz_sources.altinn.http import AltinnHttp
from authz_sources.errors import SourceUnavailable

POOL = 32
_sessions: dict[int, tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]] = {}
_urls: dict[str, URL] = {}


def _headers(http: AltinnHttp) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    if http.settings.subscription_key:
        headers["Ocp-Apim-Subscription-Key"] = http.settings.subscription_key
    return headers


def _session(http: AltinnHttp) -> aiohttp.ClientSession:
    loop = asyncio.get_running_loop()
    found = _sessions.get(id(http))
    if found is not None and found[0] is loop and not found[1].closed:
        return found[1]
    connector = aiohttp.TCPConnector(
        limit_per_host=POOL, ssl=ssl.create_default_context(cafile=certifi.where())
    )
    session = aiohttp.ClientSession(
        connector=connector,
        headers=_headers(http),
        timeout=aiohttp.ClientTimeout(total=http.settings.timeout_ms / 1000),
        auto_decompress=False,
    )
    _sessions[id(http)] = (loop, session)
    return session


def _url(url: str) -> URL:
    parsed = _urls.get(url)
    if parsed is None:
        parsed = _urls[url] = URL(url)
    return parsed


async def send(
    self: AltinnHttp,
    method: str,
    url: str,
    what: str,
    body: bytes | None,
    params: Mapping[str, str | int] | None,
    headers: Mapping[str, str] | None,
    authorization: str | None,
) -> tuple[int, bytes]:
    limit = self.settings.max_response_bytes
    send: dict[str, Any] = dict(headers or {})
    if authorization:
        send["Authorization"] = authorization
    if body is not None:
        send["Content-Type"] = "application/json"
    try:
        async with _session(self).request(
            method, _url(url), params=params, data=body, headers=send, allow_redirects=False
        ) as response:
            declared = response.content_length
            if declared is not None and declared > limit:
                raise SourceUnavailable(f"Altinn {what}: answer larger than {limit} bytes")
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.content.iter_any():
                size += len(chunk)
                if size > limit:
                    raise SourceUnavailable(f"Altinn {what}: answer larger than {limit} bytes")
                chunks.append(chunk)
            return response.status, b"".join(chunks)
    except TimeoutError as exc:
        raise SourceUnavailable(f"Altinn {what}: timed out") from exc
    except aiohttp.ClientError as exc:
        raise SourceUnavailable(f"Altinn {what}: {type(exc).__name__}") from exc


async def aclose(self: AltinnHttp) -> None:
    found = _sessions.pop(id(self), None)
    if found is not None and found[0] is asyncio.get_running_loop():
        await found[1].close()


def install() -> None:
    """Replace the two methods on the class, in this process."""
    setattr(AltinnHttp, "_send", send)  # noqa: B010
    setattr(AltinnHttp, "aclose", aclose)  # noqa: B010
