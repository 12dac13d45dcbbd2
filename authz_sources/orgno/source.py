"""`ansattporten:orgno` as an `AuthzSource`, over the employer-rules API.

It answers only about people with an e-mail address (Entra ID logins, where Microsoft
vouches for the domain): the provider never asks it about anyone else, and their object
holds only `type` (or, with `representation_is_required`, the login ends with
`access_denied`), as in Ansattporten. The service applies the employer's rules, client
filters and rights; the provider applies `organizationform` and the deleted filter, and
at `grant` asks again rather than trusting what the browser posted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from authz_sources.http_register.client import RegisterClient
from authz_sources.http_register.settings import HttpRegisterSettings
from authz_sources.http_register.source import party_of
from authz_sources.orgno.assertion import signer_for
from authz_sources.orgno.settings import ORGNO_TYPE, OrgnoSettings
from authz_sources.orgno.shape import orgno_object
from authz_sources.shared import (
    SHARED_FIELDS,
    SourceBase,
    apply_filters,
    check_fields,
    confirm,
    shared_values,
)
from authz_sources.types import Party, RequestedDetail, Subject

SENT_IDENTIFIERS = ("email", "entra_oid", "groups")
"""What the service is told about the person: the address (and so its domain), the
tenant and object id, and the groups (Entra sends the first 20)."""


def _register_settings(settings: OrgnoSettings) -> HttpRegisterSettings:
    """The HTTP register contract client's settings for the service's API."""
    return HttpRegisterSettings(
        types=(ORGNO_TYPE,),
        base_url=settings.base_url,
        token=settings.token,
        timeout_ms=settings.timeout_ms,
        identifiers=SENT_IDENTIFIERS,
        max_parties=settings.max_parties,
        max_bytes=settings.max_bytes,
        max_connections=settings.max_connections,
        ca_file=settings.ca_file,
    )


class OrgnoSource(SourceBase[RequestedDetail]):
    """The employer-rules service, owning `ansattporten:orgno`."""

    identifiers = ("email",)

    def __init__(
        self,
        name: str,
        settings: OrgnoSettings,
    ) -> None:
        super().__init__(name, {ORGNO_TYPE: RequestedDetail}, timeout_ms=settings.timeout_ms)
        self._legacy = settings.legacy_shape
        self._client = RegisterClient(
            name,
            _register_settings(settings),
            authorization=signer_for(settings),
            kind="employer rules",
        )

    def parse_detail(self, raw: Mapping[str, Any]) -> RequestedDetail:
        """Only `type` and the shared fields (spec 4.2). The legacy shape names one
        organisation, so with it the picker allows only one."""
        check_fields(raw, ORGNO_TYPE, SHARED_FIELDS)
        values = shared_values(raw)
        if self._legacy:
            values["allow_multiple_organizations"] = False
        return RequestedDetail(**values)

    async def find_parties(self, subject: Subject, detail: RequestedDetail) -> list[Party]:
        """The organisations the employer's rules give this person toward this service,
        shared filters applied."""
        wire = await self._client.parties(subject, detail)
        return apply_filters([party_of(party) for party in wire], detail)

    async def grant(
        self, subject: Subject, detail: RequestedDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        """The token object for the chosen organisations the rules give right now
        (names and rights from this fresh answer); None when none of them; only `type`
        when the person represents themself."""
        if not chosen:
            return {"type": detail.type}
        confirmed = confirm(await self.find_parties(subject, detail), chosen)
        if not confirmed:
            return None
        return orgno_object(detail.type, confirmed[:1] if self._legacy else confirmed,
                            legacy=self._legacy)  # fmt: skip

    async def check_health(self) -> None:
        await self._client.ping()

    async def aclose(self) -> None:
        await self._client.aclose()
