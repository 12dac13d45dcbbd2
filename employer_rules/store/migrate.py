"""Alembic, driven from code: `upgrade` brings the schema to the newest revision;
`pending` says whether it is behind (for `auto_migrate = false`).

Several instances on one PostgreSQL database may start together: `migrations/env.py`
takes an advisory lock, so they migrate one after the other. A SQLite database belongs
to one process.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

SCRIPTS = Path(__file__).with_name("migrations")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


async def upgrade(database_url: str) -> None:
    """Apply every migration not yet applied (Alembic runs its own loop: a thread)."""
    await asyncio.to_thread(command.upgrade, alembic_config(database_url), "head")


async def pending(engine: AsyncEngine, database_url: str) -> bool:
    """Whether the database's schema is older than this code's."""
    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    async with engine.connect() as connection:
        current = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )
    return current != head
