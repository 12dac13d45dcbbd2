"""`ansattporten:altinn:resource`: parties from authorized parties, actions from the PDP."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from authz_sources.altinn.client import AltinnClient
from authz_sources.altinn.eligibility import arrange, holders, walk
from authz_sources.altinn.resource_detail import ResourceDetail
from authz_sources.altinn.titles import TitleCache
from authz_sources.altinn.wire import ISO6523_AUTHORITY, AuthorizedParty
from authz_sources.errors import NotEligible
from authz_sources.types import Party, Subject


class ResourceLookup:
    """Finds and grants parties for one Altinn 3 resource."""

    def __init__(self, client: AltinnClient, titles: TitleCache) -> None:
        self._client = client
        self._titles = titles

    async def _eligible(
        self, subject: Subject, detail: ResourceDetail, only: set[str] | None = None
    ) -> tuple[list[AuthorizedParty], dict[str, tuple[str, ...]]]:
        """The register's answer and `orgno -> held requested actions` of eligible
        parties (restricted to `only` when given, so a grant asks the PDP little)."""
        parties = await self._client.authorized_parties(subject.pid)
        orgnos = holders(parties, detail.resource_id, detail)
        if only is not None:
            orgnos = [orgno for orgno in orgnos if orgno in only]
        if not detail.actions:
            return parties, {orgno: () for orgno in orgnos}
        if not orgnos:
            return parties, {}
        permitted = await self._client.permitted_actions(
            subject.pid, detail.resource_id, orgnos, detail.actions
        )
        eligible: dict[str, tuple[str, ...]] = {}
        for orgno in orgnos:
            held = tuple(action for action in detail.actions if action in permitted[orgno])
            if held:  # holding none of the requested actions makes a party ineligible
                eligible[orgno] = held
        return parties, eligible

    async def find_parties(self, subject: Subject, detail: ResourceDetail) -> list[Party]:
        """The picker list for this resource (see `eligibility`)."""
        parties, eligible = await self._eligible(subject, detail)
        return arrange(parties, eligible, detail.resource_id)

    async def grant(
        self, subject: Subject, detail: ResourceDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        """The token object of spec 4.1 for the chosen parties that hold the resource.

        A chosen organisation the person has no relation to at all in Altinn raises
        NotEligible (the browser posted something never offered). One the person may act
        for but that does not hold this resource is left out silently: with several
        requested objects, the picker offers the union of their parties.
        """
        if not chosen:
            return {"type": detail.type}
        wanted = list(dict.fromkeys(party.orgno for party in chosen))
        parties, eligible = await self._eligible(subject, detail, only=set(wanted))
        known = {str(party.organization_number): party for party, _ in walk(parties)}
        for orgno in wanted:
            if orgno not in known:
                raise NotEligible(f"You cannot act for organisation {orgno}.")
        granted = [orgno for orgno in wanted if orgno in eligible]
        if not granted:
            return None
        return {
            "type": detail.type,
            "resource": detail.resource,
            "resource_name": await self._titles.title(detail.resource_id, subject.locale),
            "authorized_parties": [
                _authorized_party(known[orgno], detail, eligible[orgno]) for orgno in granted
            ],
        }


def _authorized_party(
    party: AuthorizedParty, detail: ResourceDetail, actions: tuple[str, ...]
) -> dict[str, Any]:
    """One `authorized_parties` entry; keys in the order the spec shows."""
    entry: dict[str, Any] = {
        "orgno": {"authority": ISO6523_AUTHORITY, "ID": f"0192:{party.organization_number}"},
        "resource": detail.resource_id,
    }
    if detail.actions:
        entry["actions"] = list(actions)
    entry["name"] = party.name
    entry["unit_type"] = party.unit_type or ""
    return entry
