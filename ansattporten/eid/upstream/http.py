"""Every call to an upstream, bounded: one deadline for the whole call (connect, send,
read), at most `max_response_bytes` read, no redirects followed, JSON only.

The upstream's addresses come from the operator's settings and its discovery document,
so they are trusted configuration; the bounds are there so that an upstream that is
down, slow or broken costs a login a few seconds and a few hundred kilobytes at most.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Mapping
from urllib.parse import quote

import httpx

from ansattporten.eid.upstream.errors import UpstreamUnavailable
from ansattporten.settings_eids import EidConfig

USER_AGENT = "ansattporten-broker/1"


def basic_authorization(client_id: str, secret: str) -> str:
    """`client_secret_basic` (RFC 6749 2.3.1): both parts form-encoded before base64."""
    pair = f"{quote(client_id, safe='')}:{quote(secret, safe='')}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


class UpstreamHttp:
    """One pooled HTTP client per upstream."""

    def __init__(
        self, config: EidConfig, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.label = f"eID {config.name!r}"
        self._deadline = config.timeout_seconds
        self._max_bytes = config.max_response_bytes
        self._client = httpx.AsyncClient(
            timeout=config.timeout_seconds,
            follow_redirects=False,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Accept-Encoding": "identity",  # the size bound applies to what is held
            },
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
            transport=transport,
        )

    async def get(self, url: str) -> tuple[int, bytes]:
        return await self._call("GET", url)

    async def post_form(
        self, url: str, form: Mapping[str, str], auth: tuple[str, str] | None = None
    ) -> tuple[int, bytes]:
        return await self._call("POST", url, form=form, auth=auth)

    async def _call(
        self,
        method: str,
        url: str,
        *,
        form: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> tuple[int, bytes]:
        """(status, body) of a JSON answer; UpstreamUnavailable for anything else."""
        headers = {"Authorization": basic_authorization(*auth)} if auth else None
        request = self._client.build_request(method, url, data=form, headers=headers)
        try:
            async with asyncio.timeout(self._deadline):
                response = await self._client.send(request, stream=True)
                try:
                    body = await self._read(response)
                finally:
                    await response.aclose()
        except TimeoutError as exc:
            raise UpstreamUnavailable(f"{self.label}: no answer within {self._deadline} s") from exc
        except httpx.HTTPError as exc:
            raise UpstreamUnavailable(f"{self.label}: {type(exc).__name__}") from exc
        if response.status_code >= 500 or 300 <= response.status_code < 400:
            raise UpstreamUnavailable(f"{self.label}: answered HTTP {response.status_code}")
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json" and not kind.endswith("+json"):
            raise UpstreamUnavailable(f"{self.label}: answered {kind or 'no content type'}")
        return response.status_code, body

    async def _read(self, response: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():  # decoded: the bound is on what is held
            size += len(chunk)
            if size > self._max_bytes:
                raise UpstreamUnavailable(f"{self.label}: answer over {self._max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def aclose(self) -> None:
        await self._client.aclose()
