"""The engine: the async driver for the URL's database, and SQLite set up so readers
and the one writer do not block each other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}


def async_url(url: str) -> str:
    """`sqlite:///x.db` -> `sqlite+aiosqlite:///x.db`; explicit drivers stay as they are."""
    scheme, sep, rest = url.partition("://")
    return f"{DRIVERS.get(scheme, scheme)}{sep}{rest}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and `:memory:`)."""
    if not url.startswith("sqlite") or ":///" not in url:
        return None
    path = url.split(":///", 1)[1]
    return Path(path) if path and path != ":memory:" else None


def make_engine(url: str) -> AsyncEngine:
    """Statement parameters stay out of error messages (`hide_parameters`): they hold
    e-mail addresses and identity numbers, and error messages reach the log."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(async_url(url), hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _wal_and_patience)
        return engine
    return create_async_engine(
        async_url(url), hide_parameters=True, pool_pre_ping=True, pool_size=5, max_overflow=10
    )


def _wal_and_patience(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
