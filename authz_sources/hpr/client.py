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

import httpx
import msgspec

from authz_sources.errors import SourceUnavailable
from authz_sources.hpr.settings import HprSettings
from authz_sources.hpr.wire import HprRecord, PersonQuery
from authz_sources.register_http import RegisterHttp, is_json

PERSON_PATH: Final = "/v1/personerutvidet"
HEALTH_PATH: Final = "/health"
_DECODER: Final = msgspec.json.Decoder(HprRecord)
_ENCODER: Final = msgspec.json.Encoder()


class HprClient:
    """Looks one person up by national identity number."""

    def __init__(
        self, settings: HprSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        headers = {"User-Agent": "ansattporten-hpr-source/1"}
        if settings.bearer_token:
            headers["Authorization"] = f"Bearer {settings.bearer_token}"
        self._register = RegisterHttp("HPR", settings, headers, transport)

    async def person(self, pid: str, day: dt.date) -> HprRecord | None:
        """The person's record as of `day`, or None when the register does not know them."""
        query = PersonQuery(nin=pid, at_date=day.isoformat(), include_history=False)
        async with self._register.post_json(PERSON_PATH, _ENCODER.encode(query)) as response:
            if response.status_code == 404:
                return None
            if response.status_code != 200:
                raise SourceUnavailable(f"HPR answered HTTP {response.status_code}")
            if not is_json(response):
                raise SourceUnavailable("HPR answer is not JSON")
            body = await self._register.body(response)
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
        async with self._register.stream("GET", HEALTH_PATH) as response:
            status = response.status_code  # the body is never read
        if status >= 500:
            raise SourceUnavailable(f"HPR answered HTTP {status}")

    async def aclose(self) -> None:
        await self._register.aclose()
