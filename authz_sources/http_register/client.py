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
from authz_sources.register_http import (
    failures_as_unavailable,
    is_json,
    read_bounded,
    register_client,
)
from authz_sources.types import RequestedDetail

PARTIES_PATH: Final = "/parties"
HEALTH_PATH: Final = "/health"
VERSION_HEADER: Final = "Ansattporten-Register-Contract"
_ENCODER: Final = msgspec.json.Encoder()


class RegisterClient:
    """Asks one register who a person may act for."""

    def __init__(
        self,
        name: str,
        settings: HttpRegisterSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {
            "User-Agent": f"ansattporten-http-register/{CONTRACT_VERSION}",
            VERSION_HEADER: str(CONTRACT_VERSION),
        }
        if settings.token:
            headers["Authorization"] = f"Bearer {settings.token}"
        self._label = f"register {name!r}"
        self._deadline = settings.timeout_ms / 1000
        self._max_bytes = settings.max_bytes
        self._max_parties = settings.max_parties
        self._http = register_client(
            settings.base_url,
            headers,
            timeout=self._deadline,
            max_connections=settings.max_connections,
            transport=transport,
        )

    def _unavailable(self, why: str) -> SourceUnavailable:
        return SourceUnavailable(f"{self._label}: {why}")

    async def parties(self, pid: str, detail: RequestedDetail) -> tuple[WireParty, ...]:
        """The register's answer for one person and one requested object."""
        request = PartiesRequest(type=detail.type, subject=Subject(pid=pid), detail=detail.raw)
        with failures_as_unavailable(self._label, self._deadline):
            async with self._http.stream(
                "POST",
                PARTIES_PATH,
                content=_ENCODER.encode(request),
                headers={"Content-Type": "application/json"},
            ) as response:
                if response.status_code != 200:
                    raise self._unavailable(f"answered HTTP {response.status_code}")
                if not is_json(response):
                    raise self._unavailable("answer is not JSON")
                body = await read_bounded(response, self._max_bytes, self._label)
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
        with failures_as_unavailable(self._label, self._deadline):
            async with self._http.stream("GET", HEALTH_PATH) as response:
                status = response.status_code  # the body is never read
        if not 200 <= status < 300:
            raise self._unavailable(f"health check answered HTTP {status}")

    async def aclose(self) -> None:
        await self._http.aclose()
