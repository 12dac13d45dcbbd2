"""Where the floor login keeps its three kinds of state (pushed requests, logins in
progress, codes): in dicts (`MemoryTable`, the bare floor) or in an SQLite file
(`SqliteTable`, the floor as designed).

The SQLite way is the least persistence a provider that shares its state between
instances needs, done the way our store does it on SQLite: one connection used inline
on the event loop, WAL with `synchronous=NORMAL`, each change one statement in
autocommit (a taken entry is one `DELETE ... RETURNING`), values msgspec-encoded. It
has no checkpoint thread, no migrations, no indexes beyond the key and no expiry sweep:
it is a yardstick, not a store.
"""

from __future__ import annotations

import sqlite3
from typing import Generic, Protocol, TypeVar

import msgspec

T = TypeVar("T")

SCHEMA = """CREATE TABLE IF NOT EXISTS keep (
    kind TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (kind, key)
) WITHOUT ROWID"""
PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL")


class Table(Protocol[T]):
    """What the floor's routes do with their state: put, look up, take, drop."""

    def put(self, key: str, value: T) -> None: ...

    def get(self, key: str) -> T | None: ...

    def take(self, key: str) -> T | None: ...

    def drop(self, key: str) -> None: ...


class MemoryTable(Generic[T]):
    """A dict: what the bare floor keeps (changed objects are the kept ones)."""

    def __init__(self) -> None:
        self._entries: dict[str, T] = {}

    def put(self, key: str, value: T) -> None:
        self._entries[key] = value

    def get(self, key: str) -> T | None:
        return self._entries.get(key)

    def take(self, key: str) -> T | None:
        return self._entries.pop(key, None)

    def drop(self, key: str) -> None:
        self._entries.pop(key, None)


def open_database(path: str) -> sqlite3.Connection:
    """The process's one connection (autocommit), with the table made."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in PRAGMAS:
        connection.execute(f"PRAGMA {pragma}")
    connection.execute(SCHEMA)
    return connection


class SqliteTable(Generic[T]):
    """One kind of entry in the `keep` table, each change one statement."""

    def __init__(self, connection: sqlite3.Connection, kind: str, type_: type[T]) -> None:
        self._connection = connection
        self._kind = kind
        self._encoder = msgspec.msgpack.Encoder()
        self._decoder = msgspec.msgpack.Decoder(type_)

    def put(self, key: str, value: T) -> None:
        self._connection.execute(
            "INSERT OR REPLACE INTO keep (kind, key, value) VALUES (?, ?, ?)",
            (self._kind, key, self._encoder.encode(value)),
        )

    def get(self, key: str) -> T | None:
        rows = self._connection.execute(
            "SELECT value FROM keep WHERE kind = ? AND key = ?", (self._kind, key)
        ).fetchall()
        return self._decoder.decode(rows[0][0]) if rows else None

    def take(self, key: str) -> T | None:
        rows = self._connection.execute(
            "DELETE FROM keep WHERE kind = ? AND key = ? RETURNING value", (self._kind, key)
        ).fetchall()
        return self._decoder.decode(rows[0][0]) if rows else None

    def drop(self, key: str) -> None:
        self._connection.execute("DELETE FROM keep WHERE kind = ? AND key = ?", (self._kind, key))
