"""Schema migrations through Alembic, driven from code (no alembic.ini to ship).

`upgrade` runs its own event loop, so async callers run it in a thread.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


def ensure_sqlite_directory(database_url: str) -> None:
    """A fresh checkout has no `var/`; create the SQLite file's folder on first start."""
    marker = ":///"
    if database_url.startswith("sqlite") and marker in database_url:
        path = database_url.split(marker, 1)[1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


def upgrade(database_url: str, revision: str = "head") -> None:
    ensure_sqlite_directory(database_url)
    command.upgrade(alembic_config(database_url), revision)


def revision(database_url: str, message: str) -> None:
    command.revision(alembic_config(database_url), message=message, autogenerate=True)
