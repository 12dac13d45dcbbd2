"""`ansattporten:altinn:resource`: parties from authorized parties, actions from the PDP.

Both steps go by every path of access Altinn knows: `anyOfResourceIds` makes Altinn
list only the parties that reach the resource directly, through a role or through an
access package, and the PDP evaluates the resource's policy the same way. The choice is
re-checked with the same two questions.
"""

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
        parties = await self._client.authorized_parties(
            subject.require_pid(), (detail.resource_id,)
        )
        orgnos = holders(parties, detail)
        if only is not None:
            orgnos = [orgno for orgno in orgnos if orgno in only]
        if not detail.actions:
            return parties, {orgno: () for orgno in orgnos}
        if not orgnos:
            return parties, {}
        permitted = await self._client.permitted_actions(
            subject.require_pid(), detail.resource_id, orgnos, detail.actions
        )
        eligible: dict[str, tuple[str, ...]] = {}
        for orgno in orgnos:
            held = tuple(action for action in detail.actions if action in permitted[orgno])
            if held:  # holding none of the requested actions makes a party ineligible
                eligible[orgno] = held
        return parties, eligible

    async def _refuse_strangers(self, subject: Subject, absent: list[str]) -> None:
        """NotEligible for a chosen organisation the person cannot act for at all.

        The filtered answer leaves out every party that does not reach the resource, so
        only when a chosen one is missing is Altinn asked again without the filter, to
        tell an organisation that lost the resource from one never related."""
        if not absent:
            return
        everyone = await self._client.authorized_parties(subject.require_pid(), ())
        related = {str(party.organization_number) for party, _ in walk(everyone)}
        for orgno in absent:
            if orgno not in related:
                raise NotEligible(f"You cannot act for organisation {orgno}.")

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
        for but that does not hold this resource (any more) is left out: with several
        requested objects, the picker offers the union of their parties, and the provider
        refuses the choice when no requested object confirms it.
        """
        if not chosen:
            return {"type": detail.type}
        wanted = list(dict.fromkeys(party.orgno for party in chosen))
        parties, eligible = await self._eligible(subject, detail, only=set(wanted))
        known = {str(party.organization_number): party for party, _ in walk(parties)}
        await self._refuse_strangers(subject, [o for o in wanted if o not in known])
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
