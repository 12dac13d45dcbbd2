"""Alembic environment of the employer-rules database (async drivers, as the service)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from employer_rules.store.database import make_engine
from employer_rules.store.models import Base

ADVISORY_LOCK = 72_116_520
"""PostgreSQL advisory lock id held while migrating (instances starting together)."""


def migrate(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK})")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def main() -> None:
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    try:
        async with engine.begin() as connection:
            await connection.run_sync(migrate)
    finally:
        await engine.dispose()


asyncio.run(main())
