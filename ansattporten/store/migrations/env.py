"""Alembic environment: runs migrations over the same async driver the provider uses."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from ansattporten.store.database import make_engine
from ansattporten.store.models import Base

config = context.config
target_metadata = Base.metadata


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
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


asyncio.run(_run_online())
