"""HTTP client for the register contract, failing closed on anything unexpected.

Every call runs under one overall deadline (a register dribbling bytes cannot hold a
login), reads at most `max_bytes` from the stream (`register_http`), and decodes
strictly. Anything but a well-formed 200 — an error status, a
redirect, another content type, too many parties — is `SourceUnavailable`. No error
message carries an identifier of the person, and nothing here logs.
"""

from __future__ import annotations

from collections.abc import Callable
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
from authz_sources.types import Subject as Person

PARTIES_PATH: Final = "/parties"
HEALTH_PATH: Final = "/health"
VERSION_HEADER: Final = "Ansattporten-Register-Contract"
"""Carries `CONTRACT_VERSION` ("1.1"); version 1 registers ignore it."""
_ENCODER: Final = msgspec.json.Encoder()


class RegisterClient:
    """Asks one register who a person may act for.

    `authorization`, when given, makes the `Authorization` header of each `/parties`
    call afresh (a single-use signed assertion); otherwise `settings.token` is sent."""

    def __init__(
        self,
        name: str,
        settings: HttpRegisterSettings,
        authorization: Callable[[], str] | None = None,
        kind: str = "register",
    ) -> None:
        headers = {
            "User-Agent": f"ansattporten-http-register/{CONTRACT_VERSION}",
            VERSION_HEADER: str(CONTRACT_VERSION),
        }
        if settings.token:
            headers["Authorization"] = f"Bearer {settings.token}"
        self._authorization = authorization
        self._max_parties = settings.max_parties
        self._identifiers = settings.identifiers
        self._register = RegisterHttp.for_register(
            f"{kind} {name!r}", settings, headers, source=name
        )

    def _unavailable(self, why: str) -> SourceUnavailable:
        return SourceUnavailable(f"{self._register.label}: {why}")

    def wire_subject(self, person: Person) -> Subject:
        """Only the identifiers the register declared (`identifiers`)."""
        known = self._identifiers
        entra = "entra_oid" in known
        return Subject(
            pid=person.pid if "pid" in known else None,
            eidas_person_identifier=(
                person.eidas_person_identifier if "eidas_person_identifier" in known else None
            ),
            email=person.email if "email" in known else None,
            entra_tid=person.entra_tid if entra else None,
            entra_oid=person.entra_oid if entra else None,
            groups=person.groups if "groups" in known else (),
        )

    async def parties(self, person: Person, detail: RequestedDetail) -> tuple[WireParty, ...]:
        """The register's answer for one person and one requested object."""
        request = PartiesRequest(
            type=detail.type,
            client_id=person.client_id,
            subject=self.wire_subject(person),
            detail=detail.raw,
        )
        per_call = {"Authorization": self._authorization()} if self._authorization else None
        reply = await self._register.post_json(PARTIES_PATH, _ENCODER.encode(request), per_call)
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
