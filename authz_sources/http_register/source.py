"""An agency's own register, reached over the HTTP register contract, as an `AuthzSource`.

The register decides who may act for which organisation; the provider only applies the
shared picker filters, and at `grant` asks again rather than trusting what the browser
posted, then keeps the chosen parties the register still confirms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from authz_sources.http_register.client import RegisterClient
from authz_sources.http_register.detail import agency_fields, parse_register_detail
from authz_sources.http_register.settings import HttpRegisterSettings
from authz_sources.http_register.wire import WireParty
from authz_sources.shared import SourceBase, apply_filters, confirm, granted_object
from authz_sources.types import Party, RequestedDetail, Subject


def party_of(wire: WireParty) -> Party:
    """A register's party as the provider's `Party`."""
    return Party(
        orgno=wire.orgno,
        name=wire.name,
        unit_type=wire.unit_type,
        parent_orgno=None if wire.parent_id is None else wire.parent_id.removeprefix("0192:"),
        is_deleted=wire.is_deleted,
        rights=wire.rights,
    )


class HttpRegisterSource(SourceBase[RequestedDetail]):
    """One configured register; it owns the RAR types named in its settings. Its
    details are plain `RequestedDetail`s: the agency's own fields stay in `raw`."""

    def __init__(self, name: str, settings: HttpRegisterSettings) -> None:
        detail_types = dict.fromkeys(settings.types, RequestedDetail)
        super().__init__(name, detail_types, timeout_ms=settings.timeout_ms)
        self.identifiers = settings.identifiers
        self._settings = settings
        self._client = RegisterClient(name, settings)

    def parse_detail(self, raw: Mapping[str, Any]) -> RequestedDetail:
        return parse_register_detail(raw, self._settings)

    async def find_parties(self, subject: Subject, detail: RequestedDetail) -> list[Party]:
        """The register's parties for this person and object, shared filters applied."""
        wire = await self._client.parties(subject, detail)
        return apply_filters([party_of(party) for party in wire], detail)

    async def grant(
        self, subject: Subject, detail: RequestedDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        """The token object for the chosen parties the register confirms right now.

        Names, unit types and rights come from this fresh answer, not from `chosen`.
        None when the register confirms none of them; only `type` when the person
        represents themself.
        """
        if not chosen:
            return {"type": detail.type}
        current = await self.find_parties(subject, detail)
        return granted_object(detail, confirm(current, chosen), **agency_fields(detail))

    async def check_health(self) -> None:
        await self._client.ping()

    async def aclose(self) -> None:
        await self._client.aclose()
