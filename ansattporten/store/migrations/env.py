"""Alembic environment: runs migrations through SQLAlchemy (the only place the provider
uses it besides the schema), over the async driver for the database.

Statement parameters are never put into error messages (`hide_parameters`): they hold
national identity numbers and token hashes, and an error message ends up in the log.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from ansattporten.store.schema import metadata

config = context.config
target_metadata = metadata


MIGRATION_LOCK = 72_116_500
"""PostgreSQL advisory lock id: instances (or workers) starting together migrate one at
a time; the others wait, then find the schema current."""


def _run(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    url = config.get_main_option("sqlalchemy.url") or ""
    waits = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {}
    engine = create_async_engine(url, hide_parameters=True, **waits)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


asyncio.run(_run_online())
