"""The Altinn source: one instance answers both Altinn RAR types from one register."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from authz_sources.altinn.client import AltinnClient
from authz_sources.altinn.credentials import credentials_for
from authz_sources.altinn.resource_detail import (
    RESOURCE_TYPE,
    ResourceDetail,
    parse_resource_detail,
)
from authz_sources.altinn.resource_lookup import ResourceLookup
from authz_sources.altinn.service_detail import SERVICE_TYPE, ServiceDetail, parse_service_detail
from authz_sources.altinn.service_lookup import ServiceLookup
from authz_sources.altinn.settings import AltinnSettings
from authz_sources.altinn.titles import TitleCache
from authz_sources.errors import InvalidDetail, SourceUnavailable
from authz_sources.register_http import tls_context
from authz_sources.shared import SourceBase
from authz_sources.types import Party, Subject

AltinnDetail = ResourceDetail | ServiceDetail


class AltinnSource(SourceBase[AltinnDetail]):
    """`ansattporten:altinn:resource` (Altinn 3) and `ansattporten:altinn:service`
    (Altinn 2 link services) against Altinn Authorization or its mock.

    Each call runs under `timeout_seconds` as a whole (several HTTP requests may be made),
    so a slow register fails with SourceUnavailable rather than holding the login.
    """

    def __init__(
        self,
        name: str,
        settings: AltinnSettings,
    ) -> None:
        """Raises SourceConfigError (naming the setting) when the Maskinporten settings
        are inconsistent, or the key, certificate or `ca_file` cannot be read."""
        detail_types: dict[str, type[AltinnDetail]] = {
            RESOURCE_TYPE: ResourceDetail,
            SERVICE_TYPE: ServiceDetail,
        }
        super().__init__(name, detail_types, timeout_ms=settings.timeout_ms)
        self.settings = settings
        tls = tls_context(settings.ca_file, where=f"source {name!r}")
        self.credentials = credentials_for(name, settings, tls=tls)
        self.client = AltinnClient(settings, credentials=self.credentials, tls=tls)
        titles = TitleCache(self.client, settings.title_cache_seconds)
        self._resources = ResourceLookup(self.client, titles)
        self._services = ServiceLookup(self.client, titles)

    def parse_detail(self, raw: Mapping[str, Any]) -> AltinnDetail:
        """Validate one requested object of either type (pure)."""
        rar_type = raw.get("type") if isinstance(raw, Mapping) else None
        if rar_type == RESOURCE_TYPE:
            return parse_resource_detail(raw)
        if rar_type == SERVICE_TYPE:
            return parse_service_detail(raw)
        raise InvalidDetail(f"the Altinn source does not answer type {rar_type!r}")

    def check_together(self, details: Sequence[AltinnDetail]) -> None:
        """Altinn 2 answers reportees per service, with deleted organisations or without,
        so every `ansattporten:altinn:service` object of one request must agree on
        `allow_deleted_organizations`."""
        services = [(i, d) for i, d in enumerate(details) if isinstance(d, ServiceDetail)]
        for index, detail in services[1:]:
            if detail.allow_deleted_organizations != services[0][1].allow_deleted_organizations:
                raise InvalidDetail(
                    f"allow_deleted_organizations differs from an earlier {SERVICE_TYPE} object",
                    index=index,
                )

    @asynccontextmanager
    async def _deadline(self) -> AsyncIterator[None]:
        """The whole call under `timeout_seconds`; a timeout is SourceUnavailable."""
        try:
            async with asyncio.timeout(self.timeout_seconds):
                yield
        except TimeoutError as exc:
            raise SourceUnavailable(
                f"Altinn did not answer within {self.settings.timeout_ms} ms"
            ) from exc

    async def find_parties(self, subject: Subject, detail: AltinnDetail) -> list[Party]:
        """Who the person may act for under this detail, filters applied."""
        async with self._deadline():
            if isinstance(detail, ResourceDetail):
                return await self._resources.find_parties(subject, detail)
            return await self._services.find_parties(subject, detail)

    async def grant(
        self, subject: Subject, detail: AltinnDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        """Re-check the choice with Altinn and build the `authorization_details` object."""
        async with self._deadline():
            if isinstance(detail, ResourceDetail):
                return await self._resources.grant(subject, detail, chosen)
            return await self._services.grant(subject, detail, chosen)

    async def check_health(self) -> None:
        """A cheap GET of the register's health path, and a usable token (so a key
        Maskinporten refuses shows here, with a log line naming the settings)."""
        async with self._deadline():
            await self.client.health()
            await self.credentials.header()

    async def aclose(self) -> None:
        """Close the connection pool and stop token renewal (safe to call twice)."""
        await self.client.aclose()
        await self.credentials.aclose()
