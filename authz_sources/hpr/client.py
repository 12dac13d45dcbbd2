"""HTTP client for an HPR-style REST API, failing closed on anything unexpected.

One pooled `httpx.AsyncClient` per source keeps connections warm across logins. Every
lookup runs under one overall deadline (httpx's own timeouts are per read, so a register
dribbling bytes could otherwise hold a login for ever), reads at most `max_bytes`, and
validates the whole record before any of it is used. Nothing here logs, and no error
message carries the national identity number.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import anyio
import httpx
import msgspec

from authz_sources.errors import SourceUnavailable
from authz_sources.hpr.settings import HprSettings
from authz_sources.hpr.wire import HprRecord, PersonQuery

PERSON_PATH: Final = "/v1/personerutvidet"
HEALTH_PATH: Final = "/health"
_DECODER: Final = msgspec.json.Decoder(HprRecord)
_ENCODER: Final = msgspec.json.Encoder()


async def read_bounded(response: httpx.Response, max_bytes: int) -> bytes:
    """The body, or `SourceUnavailable` as soon as it grows past `max_bytes`."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise SourceUnavailable(f"HPR answer is larger than {max_bytes} bytes")
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise SourceUnavailable(f"HPR answer is larger than {max_bytes} bytes")
    return bytes(body)


def _is_json(response: httpx.Response) -> bool:
    header: str = response.headers.get("content-type", "")
    media_type = header.split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class HprClient:
    """Looks one person up by national identity number."""

    def __init__(
        self, settings: HprSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        headers = {
            "Accept": "application/json",
            # Compressed answers would be inflated before the size bound applies.
            "Accept-Encoding": "identity",
            "User-Agent": "ansattporten-hpr-source/1",
        }
        if settings.bearer_token:
            headers["Authorization"] = f"Bearer {settings.bearer_token}"
        self._deadline = settings.timeout_ms / 1000
        self._max_bytes = settings.max_bytes
        self._http = httpx.AsyncClient(
            base_url=settings.base_url.rstrip("/"),
            headers=headers,
            timeout=self._deadline,
            limits=httpx.Limits(
                max_connections=settings.max_connections,
                max_keepalive_connections=settings.max_connections,
            ),
            follow_redirects=False,
            transport=transport,
        )

    async def person(self, pid: str, day: dt.date) -> HprRecord | None:
        """The person's record as of `day`, or None when the register does not know them."""
        query = PersonQuery(nin=pid, at_date=day.isoformat(), include_history=False)
        try:
            with anyio.fail_after(self._deadline):
                async with self._http.stream(
                    "POST",
                    PERSON_PATH,
                    content=_ENCODER.encode(query),
                    headers={"Content-Type": "application/json"},
                ) as response:
                    if response.status_code == 404:
                        return None
                    if response.status_code != 200:
                        raise SourceUnavailable(f"HPR answered HTTP {response.status_code}")
                    if not _is_json(response):
                        raise SourceUnavailable("HPR answer is not JSON")
                    body = await read_bounded(response, self._max_bytes)
        except TimeoutError as exc:
            raise SourceUnavailable(f"HPR did not answer within {self._deadline:g} s") from exc
        except httpx.HTTPError as exc:
            raise SourceUnavailable(f"HPR could not be reached ({type(exc).__name__})") from exc
        try:
            record = _DECODER.decode(body)
        except msgspec.DecodeError as exc:
            # msgspec names the path and the expected type, never the value.
            raise SourceUnavailable(f"HPR answer is malformed: {exc}") from exc
        if record.person.nin is not None and record.person.nin != pid:
            raise SourceUnavailable("HPR answered about a different person")
        return record

    async def ping(self) -> None:
        """Raise `SourceUnavailable` unless the register answers at all below HTTP 500."""
        try:
            with anyio.fail_after(self._deadline):
                async with self._http.stream("GET", HEALTH_PATH) as response:
                    status = response.status_code  # the body is never read
        except TimeoutError as exc:
            raise SourceUnavailable(f"HPR did not answer within {self._deadline:g} s") from exc
        except httpx.HTTPError as exc:
            raise SourceUnavailable(f"HPR could not be reached ({type(exc).__name__})") from exc
        if status >= 500:
            raise SourceUnavailable(f"HPR answered HTTP {status}")

    async def aclose(self) -> None:
        await self._http.aclose()
