"""What `ansattporten serve` checks before it starts a server: everything that can be
wrong with the settings is found here and reported as one line naming the setting,
never as a traceback from inside a starting worker (and with `--workers N`, never as
workers failing one by one while the command exits 0).

1. the settings decode and meet their rules (`settings_checks`), and name an issuer
2. every configured client is valid
3. every configured register can be built (known kind, known and complete settings),
   and every eID's private key file can be read
4. the database answers within `DATABASE_SECONDS`, and its schema is migrated (or,
   with `auto_migrate`, can be)
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from alembic.script import ScriptDirectory

from ansattporten.eid.upstream.client_auth import load_private_key
from ansattporten.eid.upstream.errors import KeyFileError
from ansattporten.errors import OAuthError
from ansattporten.flows.clients import client_record
from ansattporten.settings import Settings, SettingsError
from ansattporten.settings_checks import check_issuer_is_https
from ansattporten.settings_eids import resolve_eids
from ansattporten.store import Store
from ansattporten.store.migrate import alembic_config, ensure_sqlite_directory, upgrade
from ansattporten.store.sqlite_file import make_private
from authz_sources.registry import SourceConfigError, create_sources

DATABASE_SECONDS = 10.0
BACKENDS = ("sqlite", "postgresql")


def check_before_serving(settings: Settings) -> None:
    """Raise `SettingsError` (one line, naming the setting) for settings that cannot
    serve."""
    if not settings.issuer:
        raise SettingsError(
            "setting `issuer` is required: the provider's public https URL, e.g. "
            'issuer = "https://login.example.no" (`ansattporten demo` needs none)'
        )
    check_issuer_is_https(settings.issuer)
    for client in settings.clients:
        try:
            client_record(client)
        except OAuthError as exc:
            raise SettingsError(f"setting `clients`: {exc.description}") from None
    check_eid_keys(settings)
    asyncio.run(_check_sources_and_database(settings))


def check_eid_keys(settings: Settings) -> None:
    """Read every eID's private key once, so a bad file is one line at start-up."""
    for eid in resolve_eids(settings.eids):
        if eid.private_key_file:
            try:
                load_private_key(eid.private_key_file, eid.private_key_id)
            except KeyFileError as exc:
                raise SettingsError(f"eID {eid.name!r}: {exc}") from None


async def _check_sources_and_database(settings: Settings) -> None:
    try:
        sources = create_sources(settings.sources)
    except SourceConfigError as exc:  # most name the source and its setting already
        said = str(exc)
        raise SettingsError(
            said if said.startswith("source") else f"setting `sources`: {said}"
        ) from None
    for source in sources:
        await source.aclose()
    await check_database(settings)


async def check_database(settings: Settings) -> None:
    url = settings.database_url
    backend = backend_of(url)
    if backend is None:
        raise SettingsError(
            "setting `database_url` is not a database URL: sqlite:///path/to/file.db or "
            "postgresql://user:password@host/database"
        )
    if backend not in BACKENDS:
        raise SettingsError(
            f"setting `database_url`: {backend!r} is not supported (sqlite or postgresql)"
        )
    shown = without_password(url)
    try:
        async with asyncio.timeout(DATABASE_SECONDS):
            await _open_and_migrate(settings)
    except TimeoutError:
        raise SettingsError(
            f"setting `database_url`: {shown} did not answer within {DATABASE_SECONDS:g} s"
        ) from None
    except SettingsError:
        raise
    except Exception as exc:  # whatever the driver raises, said in one line
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        reason = reason.replace(urlsplit(url).password or "\0", "***")
        raise SettingsError(f"setting `database_url`: cannot open {shown}: {reason}") from None


def backend_of(url: str) -> str | None:
    """`sqlite`, `postgresql`, ...: the URL's scheme without a driver (`+asyncpg`);
    None when `url` is not a URL at all."""
    scheme, found, _ = url.partition("://")
    if not found or not scheme or not scheme.replace("+", "").isalnum():
        return None
    backend = scheme.split("+", 1)[0].lower()
    return "postgresql" if backend == "postgres" else backend


def without_password(url: str) -> str:
    """The URL as it may be shown: the password replaced by `***`."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


async def _open_and_migrate(settings: Settings) -> None:
    """Open the database as the provider will (the store, on the plain driver); without
    `auto_migrate` its schema must be current, with it the migrations run now."""
    ensure_sqlite_directory(settings.database_url)
    make_private(settings.database_url)
    store = Store(settings.database_url)
    try:
        await store.ping()
        if not settings.auto_migrate:
            await _require_current_schema(store, settings.async_database_url)
    finally:
        await store.aclose()
    if settings.auto_migrate:
        await asyncio.to_thread(upgrade, settings.async_database_url)


async def _require_current_schema(store: Store, url: str) -> None:
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    if await store.schema_revision() != head:
        raise SettingsError(
            "setting `auto_migrate` is false and the database schema is not current: "
            "run `ansattporten db upgrade` first"
        )
