"""HTTP client for an HPR-style REST API, failing closed on anything unexpected.

One pool per source keeps connections warm across logins (`register_http`: one
deadline over each whole lookup, at most `max_bytes` read, TLS checked). The whole
record is validated before any of it is used. Nothing here logs, and no error message
carries the national identity number.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import msgspec

from authz_sources.errors import SourceUnavailable
from authz_sources.hpr.settings import HprSettings
from authz_sources.hpr.wire import HprRecord, PersonQuery
from authz_sources.register_http import RegisterHttp

PERSON_PATH: Final = "/v1/personerutvidet"
HEALTH_PATH: Final = "/health"
_DECODER: Final = msgspec.json.Decoder(HprRecord)
_ENCODER: Final = msgspec.json.Encoder()


class HprClient:
    """Looks one person up by national identity number."""

    def __init__(self, settings: HprSettings, *, source: str) -> None:
        headers = {"User-Agent": "ansattporten-hpr-source/1"}
        if settings.bearer_token:
            headers["Authorization"] = f"Bearer {settings.bearer_token}"
        self._register = RegisterHttp.for_register("HPR", settings, headers, source=source)

    async def person(self, pid: str, day: dt.date) -> HprRecord | None:
        """The person's record as of `day`, or None when the register does not know them."""
        query = PersonQuery(nin=pid, at_date=day.isoformat(), include_history=False)
        answer = await self._register.post_json(PERSON_PATH, _ENCODER.encode(query))
        if answer.status == 404:
            return None
        if answer.status != 200:
            raise SourceUnavailable(f"HPR answered HTTP {answer.status}")
        if not answer.is_json:
            raise SourceUnavailable("HPR answer is not JSON")
        try:
            record = _DECODER.decode(answer.body)
        except msgspec.DecodeError as exc:
            # msgspec names the path and the expected type, never the value.
            raise SourceUnavailable(f"HPR answer is malformed: {exc}") from exc
        if record.person.nin is not None and record.person.nin != pid:
            raise SourceUnavailable("HPR answered about a different person")
        return record

    async def ping(self) -> None:
        """Raise `SourceUnavailable` unless the register answers at all below HTTP 500."""
        answer = await self._register.request("GET", HEALTH_PATH, read_body=False)
        if answer.status >= 500:
            raise SourceUnavailable(f"HPR answered HTTP {answer.status}")

    async def aclose(self) -> None:
        await self._register.aclose()
