"""Settings for the Altinn source (`[sources.altinn]`).

Pointing the source at the project's mock or at Altinn's test environment (TT02) is a
change of `base_url` and credentials only; nothing else differs. Against real Altinn the
source fetches its own token from Maskinporten (`maskinporten_*`); `bearer_token` is for
development against a mock.
"""

from __future__ import annotations

from typing import Annotated

import msgspec


class AltinnSettings(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """How to reach Altinn Authorization for `ansattporten:altinn:resource|service`."""

    base_url: str
    """Altinn platform root, e.g. `https://platform.tt02.altinn.no` or the mock's URL.
    The authorized-parties API and the PDP live under it."""

    resource_registry_url: str | None = None
    """Root of the resource registry (resource titles); defaults to `base_url`, which is
    where Altinn serves it."""

    altinn2_url: str | None = None
    """Root of the Altinn 2 service-owner API (reportees and rights for link services);
    defaults to `base_url`. The real one is `https://www.altinn.no`."""

    timeout_ms: Annotated[int, msgspec.Meta(gt=0, le=60_000)] = 2000
    """Deadline for one provider call (which may make several HTTP requests). It is also
    the source's `timeout_seconds`, so a slow register fails the login closed."""

    bearer_token: str | None = None
    """A fixed token sent as `Authorization: Bearer` (development against a mock that
    wants one). Real Altinn tokens live at most an hour: use `maskinporten_*` instead."""

    maskinporten_issuer: str | None = None
    """Maskinporten's issuer, which is also the audience of the JWT grant:
    `https://test.maskinporten.no/` (test; use with TT02) or `https://maskinporten.no/`
    (production). Setting it makes the source fetch its own tokens."""

    maskinporten_client_id: str | None = None
    """The client id of the organisation's Maskinporten client (the grant's `iss`)."""

    maskinporten_key: str | None = None
    """Path to the RSA private key registered on the client: a PEM file (then set
    `maskinporten_kid`) or a JSON Web Key file carrying its `kid`. Read at start-up."""

    maskinporten_kid: str | None = None
    """The key id Maskinporten knows the registered key by (PEM keys need it)."""

    maskinporten_certificate: str | None = None
    """Path to a PKCS#12 file (.p12/.pfx) with the business certificate
    (virksomhetssertifikat) and its key; the grant then carries `x5c`. Instead of
    `maskinporten_key`."""

    maskinporten_certificate_password: str | None = None
    """The PKCS#12 file's password."""

    maskinporten_scope: str = (
        "altinn:accessmanagement/authorizedparties.resourceowner altinn:authorization/authorize"
    )
    """Space-separated scopes to ask for: authorized parties and the PDP. Every one must
    be registered on the client."""

    maskinporten_token_endpoint: str | None = None
    """Defaults to the issuer's `/token` (`https://test.maskinporten.no/token`)."""

    maskinporten_timeout_ms: Annotated[int, msgspec.Meta(gt=0, le=60_000)] = 5000
    """Deadline for one token fetch (grant, and exchange when on). Fetches normally run
    in the background; a login waits for one only when no token is usable."""

    exchange_for_altinn_token: bool = True
    """Exchange the Maskinporten token for an Altinn token before calling Altinn, as
    Altinn's integration guide requires. Off: the Maskinporten token is sent as is."""

    token_exchange_url: str | None = None
    """Defaults to `{base_url}/authentication/api/v1/exchange/maskinporten`."""

    subscription_key: str | None = None
    """Altinn's API-management subscription key (product Access Management), sent as
    `Ocp-Apim-Subscription-Key` on every Altinn call when set."""

    altinn2_api_key: str | None = None
    """Altinn 2 service-owner API key, sent as the `ApiKey` header when set."""

    ca_file: str | None = None
    """A PEM file of CA certificates to trust for Altinn (its APIs and the token
    exchange) instead of certifi's roots; for a test platform behind a private CA. Read
    at start-up. Maskinporten is always checked against certifi's roots."""

    max_parties: Annotated[int, msgspec.Meta(gt=0)] = 5000
    """Refuse (as unavailable) an answer listing more parties than this, sub-units
    included. A truncated list would silently hide organisations, so none is used."""

    max_response_bytes: Annotated[int, msgspec.Meta(gt=0)] = 16_000_000
    """Refuse (as unavailable) any answer body larger than this, before decoding it."""

    health_path: str = "/health"
    """Path under `base_url` that `check_health` GETs; any 2xx answer means healthy."""

    title_cache_seconds: Annotated[float, msgspec.Meta(ge=0)] = 300.0
    """How long a resource title fetched from the registry is reused; titles rarely
    change and are only display text. 0 disables the cache."""

    @property
    def registry_root(self) -> str:
        """The resource registry root actually used."""
        return (self.resource_registry_url or self.base_url).rstrip("/")

    @property
    def altinn2_root(self) -> str:
        """The Altinn 2 root actually used."""
        return (self.altinn2_url or self.base_url).rstrip("/")

    @property
    def platform_root(self) -> str:
        """`base_url` without a trailing slash."""
        return self.base_url.rstrip("/")
