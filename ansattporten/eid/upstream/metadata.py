"""The upstream's discovery document (OpenID Connect Discovery 1.0), read once and kept.

The document must name the configured issuer exactly (Discovery 4.3), so an answer
from somewhere else is never taken for the upstream's. Multi-tenant Entra ID is the one
exception Microsoft documents: its `organizations`/`common` documents publish the issuer
as a template, `https://login.microsoftonline.com/{tenantid}/v2.0`, and each id_token's
issuer is that template with the token's `tid` filled in (`id_token.expected_issuer`).

Kept `metadata_cache_seconds`; when reading it again fails, the copy in hand serves for
up to a day more (the upstream's login pages are its own concern), after that the eID
is unavailable.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Final

import msgspec

from ansattporten.eid.upstream.errors import UpstreamUnavailable
from ansattporten.eid.upstream.http import UpstreamHttp
from ansattporten.settings_eids import EidConfig

log = logging.getLogger("ansattporten.eid")
STALE_GRACE: Final = 86400.0
TENANT_PLACEHOLDER: Final = "{tenantid}"
Url = str


class ProviderMetadata(msgspec.Struct, frozen=True, kw_only=True):
    """The members of a discovery document the broker uses."""

    issuer: str
    authorization_endpoint: Url
    token_endpoint: Url
    jwks_uri: Url
    pushed_authorization_request_endpoint: Url | None = None
    authorization_response_iss_parameter_supported: bool = False
    code_challenge_methods_supported: list[str] | None = None
    id_token_signing_alg_values_supported: list[str] = msgspec.field(
        default_factory=lambda: ["RS256"]
    )

    def endpoints(self) -> tuple[str, ...]:
        return tuple(
            url
            for url in (
                self.authorization_endpoint,
                self.token_endpoint,
                self.jwks_uri,
                self.pushed_authorization_request_endpoint,
            )
            if url is not None
        )


_DECODER: Final = msgspec.json.Decoder(ProviderMetadata)


def check_metadata(metadata: ProviderMetadata, config: EidConfig) -> None:
    """The document belongs to the configured issuer, and its endpoints are URLs."""
    label = f"eID {config.name!r}"
    if config.multi_tenant:
        if metadata.issuer != config.issuer and TENANT_PLACEHOLDER not in metadata.issuer:
            raise UpstreamUnavailable(f"{label}: discovery names another issuer")
    elif metadata.issuer != config.issuer:
        raise UpstreamUnavailable(f"{label}: discovery names another issuer")
    for url in metadata.endpoints():
        if not url.startswith(("https://", "http://")):
            raise UpstreamUnavailable(f"{label}: discovery lists an endpoint that is not a URL")
    methods = metadata.code_challenge_methods_supported
    if methods is not None and "S256" not in methods:
        raise UpstreamUnavailable(f"{label}: the upstream does not offer PKCE S256")


class MetadataCache:
    """One upstream's discovery document, fetched by one caller at a time."""

    def __init__(self, config: EidConfig, http: UpstreamHttp) -> None:
        self._config = config
        self._http = http
        self._url = config.issuer.rstrip("/") + "/.well-known/openid-configuration"
        self._held: tuple[float, ProviderMetadata] | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> ProviderMetadata:
        held = self._held
        if held is not None and time.monotonic() - held[0] < self._config.metadata_cache_seconds:
            return held[1]
        async with self._lock:
            held = self._held
            if (
                held is not None
                and time.monotonic() - held[0] < self._config.metadata_cache_seconds
            ):
                return held[1]
            try:
                metadata = await self._fetch()
            except UpstreamUnavailable as exc:
                if held is not None and time.monotonic() - held[0] < STALE_GRACE:
                    log.warning("%s; using the discovery document read before", exc)
                    return held[1]
                raise
            self._held = (time.monotonic(), metadata)
            return metadata

    async def _fetch(self) -> ProviderMetadata:
        status, body = await self._http.get(self._url)
        if status != 200:
            raise UpstreamUnavailable(f"{self._http.label}: discovery answered HTTP {status}")
        try:
            metadata = _DECODER.decode(body)
        except msgspec.DecodeError as exc:
            raise UpstreamUnavailable(f"{self._http.label}: discovery is malformed: {exc}") from exc
        check_metadata(metadata, self._config)
        return metadata
