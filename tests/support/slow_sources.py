"""A test source kind whose RAR type is a setting, calling the slow register over HTTP.

It follows the source contract (authz_sources.protocol) like any plugin, so several
instances can be enabled side by side, each owning its own type: one answering about
organisations (its parties go into the picker) and any number answering about the person
(asked during the lookup, like the health personnel register).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

import httpx
import msgspec

from authz_sources import (
    InvalidDetail,
    NotEligible,
    Party,
    RequestedDetail,
    SourceUnavailable,
    Subject,
)

FLAGS = (
    "allow_multiple_organizations",
    "allow_deleted_organizations",
    "representation_is_required",
)


class SlowRegisterSettings(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    base_url: str
    """Root of the slow register (tests.support.slow_register)."""
    rar_type: str
    """The one RAR type this source owns."""
    answers_about: Literal["organisations", "person"] = "organisations"
    timeout_ms: int = 2000
    """The provider's deadline on each call."""


class SlowRegisterSource:
    def __init__(self, name: str, settings: SlowRegisterSettings) -> None:
        self.name = name
        self.types: tuple[str, ...] = (settings.rar_type,)
        self.detail_types = {settings.rar_type: RequestedDetail}
        self.answers_about: Literal["organisations", "person"] = settings.answers_about
        self.timeout_seconds = settings.timeout_ms / 1000
        self._client = httpx.AsyncClient(base_url=settings.base_url, timeout=10)

    def parse_detail(self, raw: Mapping[str, Any]) -> RequestedDetail:
        if raw.get("type") not in self.types:
            raise InvalidDetail(f"`type` must be {self.types[0]!r}")
        unknown = sorted(set(raw) - {"type", *FLAGS})
        if unknown:
            raise InvalidDetail(f"{self.types[0]}: unknown field `{unknown[0][:40]}`")
        flags = {}
        for flag in FLAGS:
            value = raw.get(flag, False)
            if value not in (True, False, "true", "false"):
                raise InvalidDetail(f"`{flag}` must be true or false")
            flags[flag] = value in (True, "true")
        return RequestedDetail(type=self.types[0], raw=dict(raw), **flags)

    async def _parties(self, subject: Subject) -> list[dict[str, str]]:
        try:
            response = await self._client.post("/lookup", json={"pid": subject.pid})
            response.raise_for_status()
            parties: list[dict[str, str]] = response.json()["parties"]
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise SourceUnavailable(f"the slow register failed: {type(exc).__name__}") from exc
        return parties

    async def find_parties(self, subject: Subject, detail: RequestedDetail) -> list[Party]:
        parties = await self._parties(subject)
        if self.answers_about == "person":
            return []
        return [
            Party(orgno=p["orgno"], name=p["name"], unit_type=p["unit_type"], rights=self.types)
            for p in parties
        ]

    async def grant(
        self, subject: Subject, detail: RequestedDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        parties = {p["orgno"]: p for p in await self._parties(subject)}
        if self.answers_about == "person":
            return {"type": detail.type, "register_parties": len(parties)}
        if not chosen:
            return {"type": detail.type}
        for party in chosen:
            if party.orgno not in parties:
                raise NotEligible(f"You cannot act for organisation {party.orgno}.")
        return {
            "type": detail.type,
            "authorized_parties": [
                {"orgno": party.orgno, "name": parties[party.orgno]["name"]} for party in chosen
            ],
        }

    async def check_health(self) -> None:
        try:
            (await self._client.get("/health")).raise_for_status()
        except httpx.HTTPError as exc:
            raise SourceUnavailable("the slow register is down") from exc

    async def aclose(self) -> None:
        await self._client.aclose()


class SlowRegisterFactory:
    """What an entry point in `ansattporten.authz_sources` would name."""

    settings_type: ClassVar[type[msgspec.Struct]] = SlowRegisterSettings

    @classmethod
    def create(cls, name: str, settings: msgspec.Struct) -> SlowRegisterSource:
        if not isinstance(settings, SlowRegisterSettings):
            raise TypeError(f"expected SlowRegisterSettings, got {type(settings).__name__}")
        return SlowRegisterSource(name, settings)
