"""Engine and session factory, tuned per backend.

SQLite gets WAL and a busy timeout so concurrent requests queue instead of failing;
PostgreSQL gets a connection pool sized for one worker process. Statement parameters
are never put into error messages: they hold national identity numbers and token
hashes, and an error message ends up in the log.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession

from ansattporten.store.json_codec import decode_json, encode_json
from ansattporten.store.sqlite_file import make_private

JSON_CODEC: dict[str, Any] = {"json_serializer": encode_json, "json_deserializer": decode_json}


def make_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        make_private(url)  # before SQLite first creates the file (0644 otherwise)
        engine = create_async_engine(
            url, connect_args={"timeout": 30}, hide_parameters=True, **JSON_CODEC
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_pre_ping=True,
        hide_parameters=True,
        **JSON_CODEC,
    )


def make_inline_sqlite_engine(url: str) -> Engine | None:
    """For SQLite, a synchronous engine on the same file, used inline on the event loop
    for the hot-path statements: a local SQLite statement takes microseconds, handing it
    to aiosqlite's thread and back costs more. None for any other database."""
    if not url.startswith("sqlite"):
        return None
    path = url.split("///", 1)[1] if "///" in url else ""
    if not path or path == ":memory:":
        return None  # every connection to :memory: is its own database
    sync_url = url.replace("sqlite+aiosqlite://", "sqlite+pysqlite://", 1)
    engine = create_engine(
        sync_url, connect_args={"timeout": 5}, hide_parameters=True, **JSON_CODEC
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
