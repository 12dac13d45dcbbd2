"""Schema migrations through Alembic, driven from code (no alembic.ini to ship).

`upgrade` runs its own event loop, so async callers run it in a thread.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config

from ansattporten.store.sqlite_file import PRIVATE, make_private

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
    """Bring the schema to `revision`. Several processes may call this at once (workers
    of one instance, instances starting together): on SQLite a lock file beside the
    database, on PostgreSQL an advisory lock (migrations/env.py) makes them take turns."""
    ensure_sqlite_directory(database_url)
    make_private(database_url)
    with sqlite_migration_lock(database_url):
        command.upgrade(alembic_config(database_url), revision)


@contextlib.contextmanager
def sqlite_migration_lock(database_url: str) -> Iterator[None]:
    marker = ":///"
    path = database_url.split(marker, 1)[1] if marker in database_url else ""
    if not database_url.startswith("sqlite") or not path or path == ":memory:":
        yield
        return
    with open(os.open(f"{path}.migrate-lock", os.O_CREAT | os.O_RDWR, PRIVATE), "r+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def revision(database_url: str, message: str) -> None:
    command.revision(alembic_config(database_url), message=message, autogenerate=True)
