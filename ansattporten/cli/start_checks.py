"""What `ansattporten serve` checks before it starts a server: everything that can be
wrong with the settings is found here and reported as one line naming the setting,
never as a traceback from inside a starting worker (and with `--workers N`, never as
workers failing one by one while the command exits 0).

1. the settings decode and meet their rules (`settings_checks`), and name an issuer
2. every configured client is valid
3. every configured register can be built (known kind, known and complete settings)
4. the database answers within `DATABASE_SECONDS`, and its schema is migrated (or,
   with `auto_migrate`, can be)
"""

from __future__ import annotations

import asyncio

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import create_async_engine

from ansattporten.errors import OAuthError
from ansattporten.flows.clients import client_row
from ansattporten.settings import Settings, SettingsError
from ansattporten.settings_checks import check_issuer_is_https
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
            client_row(client)
        except OAuthError as exc:
            raise SettingsError(f"setting `clients`: {exc.description}") from None
    asyncio.run(_check_sources_and_database(settings))


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
    try:
        url = make_url(settings.database_url)
    except ArgumentError:
        raise SettingsError(
            "setting `database_url` is not a database URL: sqlite:///path/to/file.db or "
            "postgresql://user:password@host/database"
        ) from None
    if url.get_backend_name() not in BACKENDS:
        raise SettingsError(
            f"setting `database_url`: {url.get_backend_name()!r} is not supported "
            "(sqlite or postgresql)"
        )
    shown = url.render_as_string(hide_password=True)
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
        raise SettingsError(f"setting `database_url`: cannot open {shown}: {reason}") from None


async def _open_and_migrate(settings: Settings) -> None:
    url = settings.async_database_url
    ensure_sqlite_directory(url)
    make_private(url)
    if url.startswith("sqlite"):  # a local file: opened here, with the plain driver
        engine = create_engine(url.replace("+aiosqlite", "+pysqlite", 1))
        try:
            with engine.connect() as connection:
                _check_schema(connection, settings)
        finally:
            engine.dispose()
    else:
        remote = create_async_engine(
            url, connect_args={"timeout": DATABASE_SECONDS}, hide_parameters=True
        )
        try:
            async with remote.connect() as connection:
                await connection.run_sync(_check_schema, settings)
        finally:
            await remote.dispose()
    if settings.auto_migrate:
        await asyncio.to_thread(upgrade, url)


def _check_schema(connection: Connection, settings: Settings) -> None:
    """The database answers; without `auto_migrate`, its schema must be current."""
    connection.execute(text("SELECT 1"))
    if not settings.auto_migrate:
        _require_current_schema(connection, settings.async_database_url)


def _require_current_schema(connection: Connection, url: str) -> None:
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    try:
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:
        current = None
    if current != head:
        raise SettingsError(
            "setting `auto_migrate` is false and the database schema is not current: "
            "run `ansattporten db upgrade` first"
        )
