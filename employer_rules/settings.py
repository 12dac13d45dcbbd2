"""Settings of the employer-rules service: one TOML file, decoded once into msgspec
Structs; a typo in a key is an error, never a silent default.

This module is the settings reference (docs/employer-rules.md points here): every field
says what it is for. `EMPLOYER_RULES_<KEY>` environment variables override top-level
scalar keys (`EMPLOYER_RULES_DATABASE_URL`), and `EMPLOYER_RULES_<SECTION>__<KEY>` the
scalars of a section (`EMPLOYER_RULES_PROVIDER__CLIENT_SECRET`), so secrets need not
be written into the file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec

ENV_PREFIX = "EMPLOYER_RULES_"
Locale = Literal["nb", "nn", "en", "se"]
Seconds = Annotated[float, msgspec.Meta(gt=0)]
ADMIN_RESOURCE = "urn:altinn:resource:digdir-ansattporten-organisasjonstilknytning"
"""The Altinn resource "Administrere organisasjonstilknytning i Ansattporten" as this
project names it (Digdir does not publish the real id); see docs/employer-rules.md."""


class SettingsError(ValueError):
    """The settings cannot be used; the message names the key."""


class ProviderSettings(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """How the admin application logs administrators in: as an ordinary client of the
    provider (PAR, PKCE, RAR), registered there with redirect URI `<base_url>/callback`
    and post-logout redirect URI `<base_url>/logged-out`."""

    issuer: str
    """The provider's issuer; its discovery document is read from
    `<issuer>/.well-known/openid-configuration`."""
    client_id: str
    """This application's client_id at the provider."""
    client_secret: str | None = None
    """Secret for `client_secret_basic`."""
    private_key_file: Path | None = None
    """A private JWK (JSON) or PEM key for `private_key_jwt` instead of a secret; its
    public half is registered with the provider."""
    private_key_id: str | None = None
    """`kid` to put in client assertions signed with a PEM key (a JWK carries its own)."""
    admin_resource: str = ADMIN_RESOURCE
    """The Altinn resource whose holders may administer an organisation's rules; asked
    for as `ansattporten:altinn:resource` with several organisations allowed and
    representation required."""
    acr_values: str = "idporten-loa-substantial"
    """Level of assurance asked for; the token's `acr` must be substantial or high."""
    scope: str = "openid profile"
    """Scopes asked for; with `profile` the administrator's name (when the eID gives
    one) is shown in the change log."""
    timeout_seconds: Seconds = 10.0
    """Deadline for each call to the provider (discovery, PAR, token, keys)."""

    @property
    def auth_method(self) -> Literal["client_secret_basic", "private_key_jwt"]:
        return "private_key_jwt" if self.private_key_file else "client_secret_basic"


class ApiCaller(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """A caller of `POST /parties` that authenticates with `private_key_jwt`: each
    request carries a fresh JWT signed with its key (docs/employer-rules.md)."""

    client_id: str
    """`iss` and `sub` of the caller's assertions."""
    jwks_file: Path | None = None
    """The caller's public keys, a JWKS (JSON) file."""
    jwks_uri: str | None = None
    """Where the caller publishes its public keys (fetched and cached 5 minutes)."""


class ApiSettings(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """The API the provider asks (`POST /parties`, `GET /health`)."""

    bearer_tokens: list[str] = msgspec.field(default_factory=list)
    """Shared secrets a caller may send as `Authorization: Bearer <token>` (the HTTP
    register source's `token`); several, so one can be replaced without downtime. At
    least 32 characters each."""
    callers: list[ApiCaller] = msgspec.field(default_factory=list)
    """Callers that authenticate with `private_key_jwt` instead."""
    audience: str | None = None
    """The `aud` a caller's assertion must carry; default `<base_url>/parties`."""
    types: list[str] = msgspec.field(default_factory=lambda: ["ansattporten:orgno"])
    """RAR types this service answers for; another `type` is refused with 400."""
    max_groups: Annotated[int, msgspec.Meta(gt=0)] = 2000
    """Most Entra group ids accepted in one request's `subject.groups`."""
    max_request_bytes: Annotated[int, msgspec.Meta(gt=0)] = 256 * 1024
    """Largest request body accepted."""


class Settings(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """Everything the service reads at start."""

    base_url: str
    """Where browsers and the provider reach this service (no trailing slash); the
    redirect URI `<base_url>/callback` is built from it. `https://` makes every cookie
    `Secure`."""
    provider: ProviderSettings
    """`[provider]`: logging administrators in."""
    api: ApiSettings = msgspec.field(default_factory=ApiSettings)
    """`[api]`: the provider's side."""
    database_url: str = "sqlite:///var/employer-rules.db"
    """SQLAlchemy URL: `sqlite:///path` or `postgresql://user:pw@host/db` (the async
    drivers are chosen automatically). The service's own database, never the provider's."""
    auto_migrate: bool = True
    """Bring the schema up to date at start (Alembic). When off, a database whose
    schema is behind makes the start fail with a message instead."""
    organisations_file: Path | None = None
    """JSON file of organisations (number, name, unit type, main unit of a sub-unit)
    loaded into the organisation table at every start; an administrator's login adds the
    names and unit types its token states."""
    initial_rules_file: Path | None = None
    """JSON file of rules imported at start while the database holds no rule at all
    (for a demo); audited as made by `system`. Never overwrites an administrator's work."""
    default_locale: Locale = "nb"
    """Page language when neither the switcher, `ui_locales` nor the browser decides."""
    session_idle_seconds: Seconds = 1800
    """An administrator's session ends after this long without a request (30 min, as
    Digdir's checklist asks of services)."""
    session_max_seconds: Seconds = 7200
    """... and this long after the login at the latest (120 min)."""
    login_seconds: Seconds = 600
    """How long a login started here may take at the provider."""
    purge_interval_seconds: float = 300
    """How often expired sessions, unfinished logins and used assertion ids are deleted
    (0: never; run it elsewhere)."""
    log_level: str = "INFO"
    """Python logging level name."""

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def redirect_uri(self) -> str:
        return f"{self.base_url}/callback"

    @property
    def post_logout_redirect_uri(self) -> str:
        return f"{self.base_url}/logged-out"

    @property
    def api_audience(self) -> str:
        return self.api.audience or f"{self.base_url}/parties"


def _decode_path(kind: type, value: Any) -> Any:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError(kind)


def _environment_overrides(data: dict[str, Any], environ: Mapping[str, str]) -> None:
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX):
            continue
        section, _, name = key[len(ENV_PREFIX) :].lower().partition("__")
        if name:
            table = data.setdefault(section, {})
            if isinstance(table, dict):
                table[name] = value
        else:
            data[section] = value


def _check(settings: Settings) -> Settings:
    if settings.base_url.endswith("/") or not settings.base_url.startswith(("http://", "https://")):
        raise SettingsError("`base_url` must be an http(s) URL without a trailing '/'")
    provider = settings.provider
    if provider.issuer.endswith("/"):
        raise SettingsError("`provider.issuer` must not end with '/'")
    if (provider.client_secret is None) == (provider.private_key_file is None):
        raise SettingsError("`provider`: set exactly one of `client_secret` and `private_key_file`")
    if not provider.admin_resource.startswith("urn:altinn:resource:"):
        raise SettingsError("`provider.admin_resource` must be urn:altinn:resource:<id>")
    if any(len(token) < 32 for token in settings.api.bearer_tokens):
        raise SettingsError("`api.bearer_tokens`: each token needs at least 32 characters")
    for caller in settings.api.callers:
        if (caller.jwks_file is None) == (caller.jwks_uri is None):
            raise SettingsError(
                f"`api.callers` {caller.client_id!r}: set exactly one of `jwks_file` and `jwks_uri`"
            )
    if not settings.api.bearer_tokens and not settings.api.callers:
        raise SettingsError("`api`: set `bearer_tokens` or `callers`; the API is never open")
    return settings


def settings_from_mapping(
    data: Mapping[str, Any], *, environ: Mapping[str, str] | None = None, base: Path | None = None
) -> Settings:
    """Decode settings; relative file paths are read relative to `base` (the file's folder)."""
    merged: dict[str, Any] = {k: dict(v) if isinstance(v, dict) else v for k, v in data.items()}
    _environment_overrides(merged, environ or {})
    try:
        settings = msgspec.convert(merged, Settings, strict=False, dec_hook=_decode_path)
    except msgspec.ValidationError as exc:
        raise SettingsError(f"invalid settings: {exc}") from exc
    if base is not None:
        settings = _resolve_paths(settings, base)
    return _check(settings)


def _resolve_paths(settings: Settings, base: Path) -> Settings:
    def resolved(path: Path | None) -> Path | None:
        return None if path is None else (base / path if not path.is_absolute() else path)

    provider = msgspec.structs.replace(
        settings.provider, private_key_file=resolved(settings.provider.private_key_file)
    )
    callers = [
        msgspec.structs.replace(caller, jwks_file=resolved(caller.jwks_file))
        for caller in settings.api.callers
    ]
    return msgspec.structs.replace(
        settings,
        provider=provider,
        api=msgspec.structs.replace(settings.api, callers=callers),
        organisations_file=resolved(settings.organisations_file),
        initial_rules_file=resolved(settings.initial_rules_file),
    )


def load_settings(path: Path, *, environ: Mapping[str, str] | None = None) -> Settings:
    """Read the TOML file at `path` and apply the environment overrides."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"cannot read settings file {path}: {exc}") from exc
    return settings_from_mapping(
        data, environ=os.environ if environ is None else environ, base=path.resolve().parent
    )
