"""An agency's own register, reached over the HTTP register contract, as an `AuthzSource`.

The register decides who may act for which organisation; the provider only applies the
shared picker filters, and at `grant` asks again rather than trusting what the browser
posted, then keeps the chosen parties the register still confirms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal

import httpx

from authz_sources.http_register.client import RegisterClient
from authz_sources.http_register.detail import agency_fields, parse_register_detail
from authz_sources.http_register.settings import HttpRegisterSettings
from authz_sources.http_register.wire import WireParty
from authz_sources.types import Party, RequestedDetail, Subject

SUB_UNIT_TYPES: Final = frozenset({"BEDR", "AAFY"})
"""Brønnøysund unit types of sub-units (underenheter)."""
AUTHORITY: Final = "iso6523-actorid-upis"


def _party(wire: WireParty) -> Party:
    return Party(
        orgno=wire.orgno,
        name=wire.name,
        unit_type=wire.unit_type,
        parent_orgno=None if wire.parent_id is None else wire.parent_id.removeprefix("0192:"),
        is_deleted=wire.is_deleted,
        rights=wire.rights,
    )


def is_sub_unit(party: Party) -> bool:
    """A sub-unit has a parent or one of the sub-unit types."""
    return party.parent_orgno is not None or party.unit_type in SUB_UNIT_TYPES


def apply_filters(parties: Sequence[Party], detail: RequestedDetail) -> list[Party]:
    """The shared request filters: `organizationform` and `allow_deleted_organizations`."""
    kept: list[Party] = []
    for party in parties:
        if party.is_deleted and not detail.allow_deleted_organizations:
            continue
        if detail.organizationform == "enterprise" and is_sub_unit(party):
            continue
        if detail.organizationform == "business" and not is_sub_unit(party):
            continue
        kept.append(party)
    return kept


def authorized_party(party: Party) -> dict[str, Any]:
    """A party as it appears in the token (the shape of spec 4.1/4.2)."""
    return {
        "orgno": {"authority": AUTHORITY, "ID": f"0192:{party.orgno}"},
        "name": party.name,
        "unit_type": party.unit_type,
        "rights": list(party.rights),
    }


class HttpRegisterSource:
    """One configured register; it owns the RAR types named in its settings."""

    name: str
    types: tuple[str, ...]
    answers_about: Literal["organisations", "person"]
    timeout_seconds: float

    def __init__(
        self,
        name: str,
        settings: HttpRegisterSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.name = name
        self.types = tuple(settings.types)
        self.answers_about = "organisations"
        self.timeout_seconds = settings.timeout_ms / 1000
        self._settings = settings
        self._client = RegisterClient(name, settings, transport=transport)

    def parse_detail(self, raw: Mapping[str, Any]) -> RequestedDetail:
        return parse_register_detail(raw, self._settings)

    async def find_parties(self, subject: Subject, detail: RequestedDetail) -> list[Party]:
        """The register's parties for this person and object, shared filters applied."""
        wire = await self._client.parties(subject.pid, detail)
        return apply_filters([_party(party) for party in wire], detail)

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
        current = {party.orgno: party for party in await self.find_parties(subject, detail)}
        confirmed: list[Party] = []
        for party in chosen:
            fresh = current.get(party.orgno)
            if fresh is not None and fresh.selectable and fresh not in confirmed:
                confirmed.append(fresh)
        if not confirmed:
            return None
        return {
            "type": detail.type,
            **agency_fields(detail),
            "authorized_parties": [authorized_party(party) for party in confirmed],
        }

    async def check_health(self) -> None:
        await self._client.ping()

    async def aclose(self) -> None:
        await self._client.aclose()
