"""`ansattporten:altinn:service`: Altinn 2 link services through the legacy reportees API."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from authz_sources.altinn.client import AltinnClient
from authz_sources.altinn.eligibility import reportee_parties
from authz_sources.altinn.service_detail import ServiceDetail
from authz_sources.altinn.titles import TitleCache
from authz_sources.altinn.wire import ISO6523_AUTHORITY
from authz_sources.types import Party, Subject

RIGHTS_CONCURRENCY = 8
"""Parallel rights look-ups in one grant (one per chosen party)."""


class ServiceLookup:
    """Finds and grants parties for one Altinn 2 link service."""

    def __init__(self, client: AltinnClient, titles: TitleCache) -> None:
        self._client = client
        self._titles = titles

    async def find_parties(self, subject: Subject, detail: ServiceDetail) -> list[Party]:
        """Reportees for the service (organisations only, filters applied)."""
        pages = await self._client.reportees(
            subject.require_pid(), detail.service_code, detail.service_edition
        )
        reportees = [reportee for page in pages for reportee in page.embedded.reportees]
        service = f"{detail.service_code}:{detail.service_edition}"
        return reportee_parties(reportees, detail, service)

    async def grant(
        self, subject: Subject, detail: ServiceDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        """The token object of spec 4.3 (`reportees` with PascalCase keys).

        Altinn 2 answers per service, so a chosen party that is not a reportee for this
        service cannot be told apart from one offered for another requested service; it
        is left out, and None is returned when no chosen party remains.
        """
        if not chosen:
            return {"type": detail.type}
        offered = {party.orgno: party for party in await self.find_parties(subject, detail)}
        picked = [offered[o] for o in dict.fromkeys(p.orgno for p in chosen) if o in offered]
        if not picked:
            return None
        limit = asyncio.Semaphore(RIGHTS_CONCURRENCY)

        async def rights_of(party: Party) -> list[str]:
            """One rights look-up, bounded by the semaphore."""
            async with limit:
                return await self._client.rights(
                    subject.require_pid(), party.orgno, detail.service_code, detail.service_edition
                )

        all_rights = await asyncio.gather(*(rights_of(party) for party in picked))
        reportees = [
            {
                "Rights": rights,
                "Authority": ISO6523_AUTHORITY,
                "ID": f"0192:{party.orgno}",
                "Name": party.name,
            }
            for party, rights in zip(picked, all_rights, strict=True)
            if rights
        ]
        if not reportees:
            return None
        return {
            "type": detail.type,
            "resource": detail.resource,
            "resource_name": await self._titles.title(detail.resource_id, subject.locale),
            "reportees": reportees,
        }
