"""The settings Struct, the source and its factory.

Everything a source shares with the built-in ones (the shared fields and their filters,
the token's shape, the attributes and the factory) comes from `authz_sources.shared`;
what is left is this agency's own: the `permit` field and the register.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from authz_sources import InvalidDetail, Party, RequestedDetail, Subject
from authz_sources.shared import (
    SHARED_FIELDS,
    SourceBase,
    SourceFactoryBase,
    apply_filters,
    check_fields,
    confirm,
    granted_object,
    shared_values,
)
from example_agency_source.table import HOLDINGS, PERMITS


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What `[sources.<name>]` may set for this kind."""

    rar_type: str = "exampleagency:permit"
    """The RAR type this source answers."""

    timeout_ms: int = 500
    """The provider's deadline for each call, in milliseconds."""


class PermitDetail(RequestedDetail, frozen=True, kw_only=True):
    """A parsed request: which permit the service needs."""

    permit: str


class PermitSource(SourceBase[PermitDetail]):
    """Answers `exampleagency:permit`: organisations holding the requested permit."""

    def __init__(self, name: str, settings: Settings) -> None:
        super().__init__(name, {settings.rar_type: PermitDetail}, timeout_ms=settings.timeout_ms)

    def parse_detail(self, raw: Mapping[str, Any]) -> PermitDetail:
        check_fields(raw, self.types, SHARED_FIELDS | {"permit"})
        permit = raw.get("permit")
        if not isinstance(permit, str) or permit not in PERMITS:
            raise InvalidDetail(f"`permit` is required and must be one of {', '.join(PERMITS)}")
        return PermitDetail(permit=permit, **shared_values(raw))

    async def find_parties(self, subject: Subject, detail: PermitDetail) -> list[Party]:
        """The organisations the person acts for that hold the permit (here from a
        table; a real source asks its register, and raises SourceUnavailable when it
        cannot answer)."""
        parties = [
            Party(orgno=h.orgno, name=h.name, unit_type=h.unit_type, rights=(detail.permit,))
            for h in HOLDINGS.get(subject.pid, ())
            if detail.permit in h.permits
        ]
        return apply_filters(parties, detail)

    async def grant(
        self, subject: Subject, detail: PermitDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        """Ask again, keep the chosen parties still confirmed, and say which permit."""
        if not chosen:
            return {"type": detail.type}
        current = await self.find_parties(subject, detail)
        return granted_object(detail, confirm(current, chosen), permit=detail.permit)


class Factory(SourceFactoryBase):
    """The entry point: the provider reads `settings_type`, then calls `create`."""

    settings_type = Settings
    source_type = PermitSource
