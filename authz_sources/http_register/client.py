"""HTTP client for the register contract, failing closed on anything unexpected.

Every call runs under one overall deadline (httpx's timeouts apply per read, so a
register dribbling bytes could otherwise hold a login), reads at most `max_bytes` from
the stream, and decodes strictly. Anything but a well-formed 200 — an error status, a
redirect, another content type, too many parties — is `SourceUnavailable`. No error
message carries the national identity number, and nothing here logs.
"""

from __future__ import annotations

from typing import Final

import httpx
import msgspec

from authz_sources.errors import SourceUnavailable
from authz_sources.http_register.settings import HttpRegisterSettings
from authz_sources.http_register.wire import (
    ANSWER_DECODER,
    CONTRACT_VERSION,
    PartiesRequest,
    Subject,
    WireParty,
)
from authz_sources.register_http import RegisterHttp, is_json
from authz_sources.types import RequestedDetail

PARTIES_PATH: Final = "/parties"
HEALTH_PATH: Final = "/health"
VERSION_HEADER: Final = "Ansattporten-Register-Contract"
_ENCODER: Final = msgspec.json.Encoder()


class RegisterClient:
    """Asks one register who a person may act for."""

    def __init__(
        self, label: str, settings: HttpRegisterSettings, transport: httpx.AsyncBaseTransport | None
    ) -> None:
        headers = {
            "User-Agent": f"ansattporten-http-register/{CONTRACT_VERSION}",
            VERSION_HEADER: str(CONTRACT_VERSION),
        }
        if settings.token:
            headers["Authorization"] = f"Bearer {settings.token}"
        self._max_parties = settings.max_parties
        self._register = RegisterHttp(label, settings, headers, transport)

    def _unavailable(self, why: str) -> SourceUnavailable:
        return SourceUnavailable(f"{self._register.label}: {why}")

    async def parties(self, pid: str, detail: RequestedDetail) -> tuple[WireParty, ...]:
        """The register's answer for one person and one requested object."""
        request = PartiesRequest(type=detail.type, subject=Subject(pid=pid), detail=detail.raw)
        async with self._register.post_json(PARTIES_PATH, _ENCODER.encode(request)) as response:
            if response.status_code != 200:
                raise self._unavailable(f"answered HTTP {response.status_code}")
            if not is_json(response):
                raise self._unavailable("answer is not JSON")
            body = await self._register.body(response)
        try:
            answer = ANSWER_DECODER.decode(body)
        except msgspec.DecodeError as exc:
            # msgspec names the path and the expected type, never the value.
            raise self._unavailable(f"answer is malformed: {exc}") from exc
        if len(answer.parties) > self._max_parties:
            raise self._unavailable(f"answer lists more than {self._max_parties} parties")
        return answer.parties

    async def ping(self) -> None:
        """Raise `SourceUnavailable` unless `GET /health` answers 2xx."""
        async with self._register.stream("GET", HEALTH_PATH) as response:
            status = response.status_code  # the body is never read
        if not 200 <= status < 300:
            raise self._unavailable(f"health check answered HTTP {status}")

    async def aclose(self) -> None:
        await self._register.aclose()
