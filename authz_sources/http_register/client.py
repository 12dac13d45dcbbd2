"""HTTP client for the register contract, failing closed on anything unexpected.

Every call runs under one overall deadline (a register dribbling bytes cannot hold a
login), reads at most `max_bytes` from the stream (`register_http`), and decodes
strictly. Anything but a well-formed 200 — an error status, a
redirect, another content type, too many parties — is `SourceUnavailable`. No error
message carries the national identity number, and nothing here logs.
"""

from __future__ import annotations

from typing import Final

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
from authz_sources.register_http import RegisterHttp
from authz_sources.types import RequestedDetail

PARTIES_PATH: Final = "/parties"
HEALTH_PATH: Final = "/health"
VERSION_HEADER: Final = "Ansattporten-Register-Contract"
_ENCODER: Final = msgspec.json.Encoder()


class RegisterClient:
    """Asks one register who a person may act for."""

    def __init__(self, name: str, settings: HttpRegisterSettings) -> None:
        headers = {
            "User-Agent": f"ansattporten-http-register/{CONTRACT_VERSION}",
            VERSION_HEADER: str(CONTRACT_VERSION),
        }
        if settings.token:
            headers["Authorization"] = f"Bearer {settings.token}"
        self._max_parties = settings.max_parties
        self._register = RegisterHttp.for_register(
            f"register {name!r}", settings, headers, source=name
        )

    def _unavailable(self, why: str) -> SourceUnavailable:
        return SourceUnavailable(f"{self._register.label}: {why}")

    async def parties(self, pid: str, detail: RequestedDetail) -> tuple[WireParty, ...]:
        """The register's answer for one person and one requested object."""
        request = PartiesRequest(type=detail.type, subject=Subject(pid=pid), detail=detail.raw)
        reply = await self._register.post_json(PARTIES_PATH, _ENCODER.encode(request))
        if reply.status != 200:
            raise self._unavailable(f"answered HTTP {reply.status}")
        if not reply.is_json:
            raise self._unavailable("answer is not JSON")
        try:
            answer = ANSWER_DECODER.decode(reply.body)
        except msgspec.DecodeError as exc:
            # msgspec names the path and the expected type, never the value.
            raise self._unavailable(f"answer is malformed: {exc}") from exc
        if len(answer.parties) > self._max_parties:
            raise self._unavailable(f"answer lists more than {self._max_parties} parties")
        return answer.parties

    async def ping(self) -> None:
        """Raise `SourceUnavailable` unless `GET /health` answers 2xx."""
        status = (await self._register.request("GET", HEALTH_PATH, read_body=False)).status
        if not 200 <= status < 300:
            raise self._unavailable(f"health check answered HTTP {status}")

    async def aclose(self) -> None:
        await self._register.aclose()
