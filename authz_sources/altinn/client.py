"""The Altinn endpoints the source uses, as typed methods over `AltinnHttp`."""

from __future__ import annotations

from urllib.parse import quote

import msgspec

from authz_sources.altinn import pdp
from authz_sources.altinn.http import AltinnHttp
from authz_sources.altinn.wire import (
    PERSON_IDENTIFIER,
    Altinn2Rights,
    AuthorizedParty,
    ReporteesPage,
    ServiceResource,
    SubjectAttribute,
    XacmlResponse,
)
from authz_sources.errors import SourceUnavailable


def count_parties(parties: list[AuthorizedParty]) -> int:
    """Main units and sub-units together."""
    return sum(1 + len(party.subunits) for party in parties)


PARTIES_PATH = "/accessmanagement/api/v1/resourceowner/authorizedparties"
PARTIES_QUERY = (
    "includeAltinn2=true&includeAltinn3=true"
    "&includeRoles=true&includeAccessPackages=true&includeResources=true&includeInstances=true"
    "&includePartiesViaKeyRoles=true&includeSubParties=true&includeInactiveParties=true"
)
"""Every kind of access and every party; the source applies the request's own filters
(`organizationform`, deleted organisations) itself, so one answer serves them all.
`includeAltinn2/3` are what Altinn's own test collections send; today's service-owner
endpoint ignores them."""


class AltinnClient(AltinnHttp):
    """The Altinn endpoints the source uses, as typed methods."""

    page_size = 1000
    """Altinn 2 reportees per page (`$top`); the mock serves at most 1000."""

    async def authorized_parties(
        self, pid: str, resource_ids: tuple[str, ...]
    ) -> list[AuthorizedParty]:
        """The parties through which the person holds any of `resource_ids` by any path
        (direct delegation, role, access package), sub-units nested, bounded by
        `max_parties`. Every access list is asked for, so a party's lists show which
        paths reach the resources."""
        body = msgspec.json.encode(SubjectAttribute(type=PERSON_IDENTIFIER, value=pid))
        # the query is part of the URL, so its parsed form is kept (`params` would be
        # merged, and the whole URL parsed again, on every call)
        filters = "".join(f"&anyOfResourceIds={quote(rid, safe='')}" for rid in resource_ids)
        parties = await self.fetch_json(
            "POST",
            f"{self.settings.platform_root}{PARTIES_PATH}?{PARTIES_QUERY}{filters}",
            list[AuthorizedParty],
            what="authorized parties",
            body=body,
        )
        if count_parties(parties) > self.settings.max_parties:
            raise SourceUnavailable(
                f"Altinn authorized parties: more than {self.settings.max_parties} parties"
            )
        return parties

    async def resource(self, resource_id: str) -> ServiceResource:
        """One resource-registry entry (its title)."""
        return await self.fetch_json(
            "GET",
            f"{self.settings.registry_root}/resourceregistry/api/v1/resource/{resource_id}",
            ServiceResource,
            what="resource registry",
        )

    def _altinn2_headers(self) -> dict[str, str]:
        """Altinn 2 answers HAL and authenticates service owners with an API key."""
        headers = {"Accept": "application/hal+json"}
        if self.settings.altinn2_api_key:
            headers["ApiKey"] = self.settings.altinn2_api_key
        return headers

    async def reportees(self, pid: str, code: str, edition: int) -> list[ReporteesPage]:
        """All pages of the person's Altinn 2 reportees for one link service."""
        pages: list[ReporteesPage] = []
        total = 0
        while True:
            page = await self.fetch_json(
                "GET",
                f"{self.settings.altinn2_root}/api/serviceowner/reportees",
                ReporteesPage,
                what="reportees",
                headers=self._altinn2_headers(),
                params={
                    "ForceEIAuthentication": "",
                    "subject": pid,
                    "serviceCode": code,
                    "serviceEdition": edition,
                    "$top": self.page_size,
                    "$skip": total,
                },
            )
            pages.append(page)
            total += len(page.embedded.reportees)
            if total > self.settings.max_parties:
                raise SourceUnavailable(
                    f"Altinn reportees: more than {self.settings.max_parties} parties"
                )
            if len(page.embedded.reportees) < self.page_size:
                return pages

    async def rights(self, pid: str, orgno: str, code: str, edition: int) -> list[str]:
        """The person's Altinn 2 rights (`Read`, `ArchiveRead`, ...) on one service for
        one reportee, in the register's order without repeats."""
        answer = await self.fetch_json(
            "GET",
            f"{self.settings.altinn2_root}/api/serviceowner/authorization/rights",
            Altinn2Rights,
            what="rights",
            headers=self._altinn2_headers(),
            params={
                "subject": pid,
                "reportee": orgno,
                "serviceCode": code,
                "serviceEdition": edition,
            },
        )
        held = (
            right.action
            for right in answer.rights
            if right.service_code == code and right.service_edition_code == edition
        )
        return list(dict.fromkeys(held))

    async def permitted_actions(
        self, pid: str, resource_id: str, orgnos: list[str], actions: tuple[str, ...]
    ) -> dict[str, set[str]]:
        """Ask the PDP which of `actions` the person may perform per organisation."""
        permitted: dict[str, set[str]] = {orgno: set() for orgno in orgnos}
        per_request = max(1, pdp.MAX_DECISIONS // max(1, len(actions)))
        for start in range(0, len(orgnos), per_request):
            batch = orgnos[start : start + per_request]
            answer = await self.fetch_json(
                "POST",
                f"{self.settings.platform_root}/authorization/api/v1/authorize",
                XacmlResponse,
                what="PDP",
                body=pdp.build_request(pid, resource_id, batch, actions),
            )
            for orgno, action in pdp.permits(answer, batch, actions):
                permitted[orgno].add(action)
        return permitted

    async def health(self) -> None:
        """Any 2xx from the health path; SourceUnavailable otherwise."""
        path = "/" + self.settings.health_path.lstrip("/")
        status, _ = await self.fetch("GET", self.settings.platform_root + path, what="health")
        if not 200 <= status < 300:
            raise SourceUnavailable(f"Altinn health: HTTP {status}")
