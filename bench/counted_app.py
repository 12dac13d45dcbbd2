"""The provider as `bench.served_app` serves it, with the store's traffic counted, for
`python -m bench dbcost`.

Counting happens at the store's connection layer (`ansattporten.store.sql`), which
every statement of every operation passes through on either database: each operation
attempt makes one `StatementCounter` (in its mode: read, one statement, transaction)
and calls `count()` once per statement it sends. SQLite's rows written come from its
connections' `total_changes`. `GET /_bench/db-counts` answers the totals so far as
JSON; every other request goes to the provider unchanged.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Any

from ansattporten.store import sql, sqlite
from bench.served_app import app as provider_app

COUNTS_PATH = "/_bench/db-counts"

operations: Counter[str] = Counter()
statements = 0
connections: list[sqlite3.Connection] = []

_plain_init = sql.StatementCounter.__init__
_plain_count = sql.StatementCounter.count
_plain_sqlite_init = sqlite.SqliteDatabase.__init__


def _counting_init(self: sql.StatementCounter, mode: sql.Mode) -> None:
    operations[mode.value] += 1
    _plain_init(self, mode)


def _counting_count(self: sql.StatementCounter) -> None:
    global statements
    statements += 1
    _plain_count(self)


def _keeping_init(self: sqlite.SqliteDatabase, path: str) -> None:
    _plain_sqlite_init(self, path)
    connections.append(self._raw)


sql.StatementCounter.__init__ = _counting_init  # type: ignore[method-assign]
sql.StatementCounter.count = _counting_count  # type: ignore[method-assign]
sqlite.SqliteDatabase.__init__ = _keeping_init  # type: ignore[method-assign]


def totals() -> dict[str, Any]:
    return {
        "operations": dict(operations),
        "statements": statements,
        "sqlite_changes": sum(connection.total_changes for connection in connections),
    }


async def app(scope: Any, receive: Any, send: Any) -> None:
    """ASGI: the counts at `COUNTS_PATH`, the provider for everything else."""
    if scope["type"] == "http" and scope["path"] == COUNTS_PATH:
        body = json.dumps(totals()).encode()
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return
    await provider_app(scope, receive, send)
