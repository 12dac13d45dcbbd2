"""Settings: one TOML file plus environment overrides, decoded once into msgspec Structs.

The keys `issuer`, `database_url` and `[[clients]]` (`client_id`, `client_secret`,
`redirect_uris`, `token_endpoint_auth_method`) are a public contract: deployments write
them by hand. Every field carries a docstring because this module is the settings
reference (the README points here).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import msgspec

from ansattporten.server_settings import ServerSettings
from ansattporten.settings_checks import SettingsError, check_settings, describe
from ansattporten.settings_eids import EidSettings, resolve_eids
from ansattporten.vocabulary import Locale

__all__ = ["ClientSettings", "Settings", "SettingsError", "load_settings", "settings_from_mapping"]

AuthMethod = Literal["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]
SubjectType = Literal["public", "pairwise"]
ENV_PREFIX = "ANSATTPORTEN_"


class ClientSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A client (a service) registered with the provider; created or updated at start."""

    client_id: str
    """The public identifier the service sends as `client_id`."""
    redirect_uris: list[str]
    """Exact callback URIs; matched character for character, no prefix or extra query."""
    client_secret: str | None = None
    """Shared secret for `client_secret_basic`/`client_secret_post`; stored only hashed."""
    token_endpoint_auth_method: AuthMethod = "client_secret_basic"
    """How the client must authenticate at the token endpoint; the registered method only."""
    client_name: str | None = None
    """Name shown to the person on the login and picker pages."""
    post_logout_redirect_uris: list[str] = msgspec.field(default_factory=list)
    """Where RP-initiated logout may send the browser back to (exact match)."""
    scopes: list[str] = msgspec.field(default_factory=lambda: ["openid", "profile"])
    """Scopes the client may ask for."""
    grant_types: list[str] = msgspec.field(default_factory=lambda: ["authorization_code"])
    """Grant types the client may use at the token endpoint."""
    access_token_lifetime: int | None = None
    """Per-client access token lifetime in seconds; the global default when absent."""
    jwks: dict[str, Any] | None = None
    """The client's public keys for `private_key_jwt` (inline JWKS)."""
    jwks_uri: str | None = None
    """Where the client publishes its public keys for `private_key_jwt`."""
    id_token_signed_response_alg: Literal["RS256", "ES256"] = "RS256"
    """Signature algorithm of this client's id_tokens (and logout tokens)."""
    authorization_signed_response_alg: Literal["RS256", "ES256"] = "RS256"
    """Signature algorithm of this client's JWT-secured authorization responses (JARM:
    `response_mode` `query.jwt`, `form_post.jwt` or `jwt`)."""
    subject_type: SubjectType = "pairwise"
    """`sub` of this client's tokens: `pairwise` (a value of its own for each person,
    as ID-porten gives every client) or `public` (the value every `public` client gets
    for that person). Neither can be turned back into the person's number."""
    organization_number: str | None = None
    """The client's organisation number (nine digits, valid mod 11): its access tokens
    name it as `consumer` (`{"authority": "iso6523-actorid-upis", "ID": "0192:<orgno>"}`),
    as ID-porten's do."""
    allowed_cors_origins: list[str] = msgspec.field(default_factory=list)
    """Origins (`https://app.example`, no path) whose browser code may call discovery,
    the JWKS, /token, /userinfo and /token/revoke, besides the origins of
    `redirect_uris`, which are always allowed."""
    frontchannel_logout_uri: str | None = None
    """OpenID Front-Channel Logout 1.0: the page the provider loads in an iframe when the
    person's session with this client ends (absolute http(s), no fragment)."""
    frontchannel_logout_session_required: bool = False
    """Front-channel logout requests carry `iss` and `sid`, and id_tokens carry `sid`."""
    backchannel_logout_uri: str | None = None
    """OpenID Back-Channel Logout 1.0: where the provider POSTs a `logout_token` when the
    person's session with this client ends. Its host must be the host of one of the
    `redirect_uris` (as ID-porten requires)."""
    backchannel_logout_session_required: bool | None = None
    """Logout tokens and id_tokens carry `sid`. As in ID-porten, registering a
    `backchannel_logout_uri` turns it on unless it is set to false here (logout tokens
    carry `sid` whatever it says)."""


class Settings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Everything the provider reads at start."""

    issuer: str = ""
    """The issuer identifier (`iss`): the provider's public https URL, no trailing slash
    (http only on 127.0.0.1/localhost); endpoints are published under it. Required by
    `ansattporten serve` (there is no default: a provider serving under a URL nobody
    chose would issue tokens no client accepts); `ansattporten demo` sets its own."""
    database_url: str = "sqlite:///var/ansattporten.db"
    """`sqlite:///path` (default) or `postgresql://user:pw@host/db` for several
    instances. The store talks to sqlite3 or asyncpg directly; migrations run through
    SQLAlchemy with the async drivers (aiosqlite, asyncpg), chosen automatically."""
    clients: list[ClientSettings] = msgspec.field(default_factory=list)
    """Clients created or updated at start (`[[clients]]` tables)."""
    sources: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)
    """Authoritative registers to enable, `[sources.<name>]`; nothing loads unless named."""
    auto_migrate: bool = True
    """Run database migrations at start. Turn off where `ansattporten db upgrade` is a
    separate deployment step."""
    access_token_lifetime: int = 120
    """Seconds an access token lives (Ansattporten's documented default is 120)."""
    id_token_lifetime: int = 120
    """Seconds an id_token lives."""
    code_lifetime: int = 60
    """Seconds an authorization code may wait to be redeemed."""
    refresh_token_lifetime: int = 7200
    """Seconds a refresh token may wait before it is used (each use issues a new one;
    none outlives the grant, which lives `grant_lifetime`)."""
    refresh_rechecks_sources: bool = False
    """On refresh, ask the registers again for the organisations chosen at login instead
    of repeating what they said then; rights withdrawn since make the refresh fail
    (`invalid_grant`) and revoke the grant, a register that cannot answer gives
    `temporarily_unavailable`."""
    token_retry_seconds: int = 30
    """How long after a code is redeemed, or a refresh token traded, the same client
    presenting the same code (with its PKCE verifier) or the same refresh token again
    gets the same token response: a client retrying after a lost answer. Later, the
    reuse means the code or token leaked: it is refused and the grant revoked. 0: any
    reuse revokes (see docs/security.md)."""
    grant_lifetime: int = 7200
    """Seconds one login's grant lasts, refreshes included."""
    database_timeout_seconds: float = 10.0
    """PostgreSQL: the longest one statement may run, and a connection take to open.
    The server cancels a longer statement (`statement_timeout`); a server that hangs
    altogether is given up on a second later. A request then answers 503 instead of
    waiting as long as the database hangs."""
    dpop_require_nonce: bool = False
    """Require every DPoP proof to carry a nonce the provider handed out (RFC 9449 8):
    answered `use_dpop_nonce` with a `DPoP-Nonce` header until it does. Limits how far
    ahead a client with a stolen key could make proofs; clients that support DPoP
    retry on their own. DPoP itself is optional and needs no setting, as in ID-porten."""
    par_lifetime: int = 90
    """Seconds a pushed authorization request (`request_uri`) stays usable."""
    login_lifetime: int = 900
    """Seconds a login transaction may take from /authorize to the code."""
    session_lifetime: int = 7200
    """Seconds a browser's session lasts from its first authentication, however active
    (Ansattporten: 120 minutes). Within it, a service the person authenticated for logs
    them in again without the eID (each service only its own session)."""
    session_idle_timeout: int = 1800
    """Seconds without an authentication or silent login, for any service, after which
    the browser's session ends (Ansattporten: 30 minutes)."""
    logout_ends_all_sessions: bool = False
    """RP-initiated logout ends the browser's sessions with every service, not only with
    the one that asked (ID-porten's global logout). A logout naming no service always
    ends them all."""
    backchannel_logout_retries: int = 0
    """Further attempts after a back-channel logout request failed (ID-porten makes one
    attempt and never retries: 0)."""
    backchannel_logout_retry_seconds: float = 30.0
    """Seconds between attempts of one back-channel logout request."""
    backchannel_connect_timeout: float = 2.0
    """Seconds to connect to a service's `backchannel_logout_uri` (ID-porten: 2)."""
    backchannel_read_timeout: float = 5.0
    """Seconds to wait for its answer (ID-porten: 5)."""
    backchannel_poll_seconds: float = 1.0
    """How often each instance's delivery worker looks for back-channel logout requests
    queued by other instances (those queued by this instance go at once); 0 turns the
    worker off (then another instance must run it)."""
    backchannel_kept_seconds: int = 7 * 24 * 3600
    """Seconds a finished back-channel logout delivery (and its outcome) is kept."""
    purge_interval_seconds: float = 60.0
    """How often each instance deletes expired login transactions (with the person's
    number in them), pushed requests, codes, grants, refresh tokens, sessions and audit
    records past `audit_retention_days`; 0 never does (then run it elsewhere). Several
    instances doing it is harmless."""
    audit_retention_days: float = 365
    """Days an audit record of a login (`ansattporten audit list`: the person's national
    identity number, the client, what was offered and chosen) is kept; the purge deletes
    older ones. Set it to what the records are needed for (complaints, the agency's own
    logging duty), no longer: they are personal data. A fraction is allowed (0.5: twelve
    hours), for tests and soaks that must see the purge at work."""
    eids: dict[str, EidSettings] = msgspec.field(default_factory=dict)
    """The eIDs people log in with, `[eids.<name>]` (`settings_eids.py`, docs/eids.md),
    in the order the eID selector lists them. None configured: TestID alone."""
    acr_values_supported: list[str] | None = None
    """Narrows the levels of assurance offered, which are otherwise those the enabled
    eIDs serve; the legacy short forms `substantial`/`high` are accepted in requests as
    aliases."""
    short_acr_in_tokens: bool = True
    """Return `substantial`/`high` in `acr` as every published Ansattporten token does;
    false returns the requested `idporten-loa-*` form."""
    default_locale: Locale = "nb"
    """Page language when the client sends no `ui_locales`."""
    picker_page_size: int = 50
    """How many organisations the picker lists before asking the person to search."""
    max_request_bytes: int = 64 * 1024
    """Largest request body accepted at any endpoint."""
    key_publish_ahead: int = 3600
    """Seconds a rotated-in signing key is published before it signs; longer than
    clients cache the JWKS (the JWKS answer says max-age=300)."""
    key_keep_previous: int = 3600
    """Seconds the previous signing key stays published after the next one starts
    signing; longer than any token lives."""
    key_reload_seconds: float = 60.0
    """How often an instance re-reads the signing keys (to see rotations)."""
    rate_limit: bool = True
    """Limit requests per minute (shared by every instance through the database)."""
    login_attempts_per_minute: int = 60
    """Login form posts per client address per minute."""
    token_requests_per_minute: int = 6000
    """Requests to /token, /par, /token/introspect, /token/revoke per client and address
    per minute (per address for requests that name no client in HTTP Basic)."""
    authorize_requests_per_minute: int = 120
    """Requests to /authorize per client address per minute: each may start a login
    transaction, kept for `login_lifetime`."""
    logins_per_client_per_minute: int = 3000
    """Logins one client may have started per minute, from every address together:
    login transactions begun at /authorize, and (counted apart) pushed requests stored.
    Only requests that stored something count (a wrong secret or a refused request does
    not). With the lifetimes this bounds what one client's logins hold in the database:
    at most this many pushed requests per minute of `par_lifetime`, and login
    transactions per minute of `login_lifetime` (see docs/security.md)."""
    trusted_proxies: list[str] = msgspec.field(default_factory=list)
    """Addresses or networks (`10.0.0.5`, `10.0.0.0/24`, `::1`) of reverse proxies whose
    `X-Forwarded-For` header names the client. Empty (the default): the address the
    connection comes from is the client's, and no forwarded header is believed. Behind
    nginx on the same host (`docs/deploy/nginx.conf`, which overwrites the header):
    `["127.0.0.1"]`. Rate limits count per client address, so a proxy listed here must
    set the header itself, never pass on one the client sent."""
    jwks_uri_allowed_networks: list[str] = msgspec.field(default_factory=list)
    """Networks (`10.1.2.0/24`, `127.0.0.1/32`) a client's `jwks_uri` may point into
    although they are not public. Empty (the default): the provider fetches keys only
    from global addresses, never from loopback, private, link-local (169.254.169.254)
    or other internal ones, also not after a redirect."""
    log_level: str = "INFO"
    """Python logging level name."""
    log_json: bool = True
    """Structured JSON log lines (with the request id) instead of plain text."""
    server: ServerSettings = msgspec.field(default_factory=ServerSettings)
    """The `[server]` table: limits on slow and oversized requests (`ServerSettings`)."""

    def __post_init__(self) -> None:
        resolve_eids(self.eids)  # a ValueError names the eID and the setting

    @property
    def cookie_secure(self) -> bool:
        """Cookies carry `Secure` whenever the issuer is served over https."""
        return self.issuer.startswith("https://")

    @property
    def async_database_url(self) -> str:
        return async_database_url(self.database_url)


def async_database_url(url: str) -> str:
    """Pick the async driver for a plain SQLAlchemy URL, leaving explicit drivers alone."""
    for plain, driver in (
        ("sqlite://", "sqlite+aiosqlite://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


def load_settings(
    path: Path | None = None, *, environ: Mapping[str, str] | None = None
) -> Settings:
    """Read the TOML file (if any), apply `ANSATTPORTEN_<KEY>` overrides to top-level
    scalar keys, and decode strictly: a typo in a key is an error, not a silent default."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"cannot read settings file {path}: {exc}") from None
    return settings_from_mapping(data, environ=os.environ if environ is None else environ)


def override_eid_setting(merged: dict[str, Any], path: str, value: str) -> None:
    """`ANSATTPORTEN_EIDS__<NAME>__<KEY>`: a scalar key of an eID the file configures
    (its `client_secret`, say, kept out of the file)."""
    name, _, key = path.partition("__")
    eids = merged.get("eids")
    if not key or not isinstance(eids, dict) or not isinstance(eids.get(name), dict):
        raise SettingsError(f"{ENV_PREFIX}EIDS__{path.upper()} names no eID of the settings file")
    merged["eids"] = {**eids, name: {**eids[name], key: value}}


def settings_from_mapping(
    data: Mapping[str, Any], *, environ: Mapping[str, str] | None = None
) -> Settings:
    merged = dict(data)
    scalar_fields = {
        name
        for name, ftype in Settings.__annotations__.items()
        if not any(word in str(ftype) for word in ("list", "dict", "Settings"))
    }
    for key, value in (environ or {}).items():
        if key.startswith(ENV_PREFIX + "EIDS__"):
            override_eid_setting(merged, key[len(ENV_PREFIX) + 6 :].lower(), value)
        elif key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX) :].lower()
            if name in scalar_fields:
                merged[name] = value
    try:
        settings = msgspec.convert(merged, Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise SettingsError(describe(exc)) from None
    check_settings(settings)
    return settings
