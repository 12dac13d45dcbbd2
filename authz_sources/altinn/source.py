"""The Altinn source: one instance answers both Altinn RAR types from one register."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, Literal

import httpx

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
from authz_sources.types import Party, RequestedDetail, Subject


class AltinnSource:
    """`ansattporten:altinn:resource` (Altinn 3) and `ansattporten:altinn:service`
    (Altinn 2 link services) against Altinn Authorization or its mock.

    Each call runs under `timeout_seconds` as a whole (several HTTP requests may be made),
    so a slow register fails with SourceUnavailable rather than holding the login.
    """

    answers_about: Literal["organisations", "person"] = "organisations"

    def __init__(
        self,
        name: str,
        settings: AltinnSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        maskinporten_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Raises SourceConfigError (naming the setting) when the Maskinporten settings
        are inconsistent or the key or certificate cannot be read."""
        self.name = name
        self.types: tuple[str, ...] = (RESOURCE_TYPE, SERVICE_TYPE)
        self.timeout_seconds = settings.timeout_ms / 1000
        self.settings = settings
        self.credentials = credentials_for(name, settings, transport=maskinporten_transport)
        self.client = AltinnClient(settings, transport=transport, credentials=self.credentials)
        titles = TitleCache(self.client, settings.title_cache_seconds)
        self._resources = ResourceLookup(self.client, titles)
        self._services = ServiceLookup(self.client, titles)

    def parse_detail(self, raw: Mapping[str, Any]) -> RequestedDetail:
        """Validate one requested object of either type (pure)."""
        rar_type = raw.get("type") if isinstance(raw, Mapping) else None
        if rar_type == RESOURCE_TYPE:
            return parse_resource_detail(raw)
        if rar_type == SERVICE_TYPE:
            return parse_service_detail(raw)
        raise InvalidDetail(f"the Altinn source does not answer type {rar_type!r}")

    def _own(self, detail: RequestedDetail) -> ResourceDetail | ServiceDetail:
        """The detail as this source's own type (re-parsed from `raw` if needed)."""
        if isinstance(detail, ResourceDetail | ServiceDetail):
            return detail
        parsed = self.parse_detail(detail.raw)
        assert isinstance(parsed, ResourceDetail | ServiceDetail)
        return parsed

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

    async def find_parties(self, subject: Subject, detail: RequestedDetail) -> list[Party]:
        """Who the person may act for under this detail, filters applied."""
        own = self._own(detail)
        async with self._deadline():
            if isinstance(own, ResourceDetail):
                return await self._resources.find_parties(subject, own)
            return await self._services.find_parties(subject, own)

    async def grant(
        self, subject: Subject, detail: RequestedDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        """Re-check the choice with Altinn and build the `authorization_details` object."""
        own = self._own(detail)
        async with self._deadline():
            if isinstance(own, ResourceDetail):
                return await self._resources.grant(subject, own, chosen)
            return await self._services.grant(subject, own, chosen)

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
