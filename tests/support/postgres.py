"""A throwaway PostgreSQL server for the test session.

CI starts one and passes its URL in `ANSATTPORTEN_TEST_POSTGRES_URL`; otherwise the
test session starts its own with the benchmark's cluster helper (`bench.postgres`):
Debian's binaries, a temporary folder, a free loopback port. A missing PostgreSQL
installation is a failure, not a skip: the PostgreSQL tests are part of what the suite
promises.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Iterator

import asyncpg

from bench.postgres import postgres_cluster

ENV_URL = "ANSATTPORTEN_TEST_POSTGRES_URL"


TEST_SETTINGS = "-c fsync=off -c max_connections=200"
"""Durability is worth nothing for a database that lives one test session."""


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yields an admin URL (`postgresql://postgres@127.0.0.1:PORT/postgres`)."""
    if url := os.environ.get(ENV_URL):
        yield url
        return
    with postgres_cluster(TEST_SETTINGS, prefix="ansattporten-pg-") as cluster:
        yield cluster.admin_url


def create_database(admin_url: str) -> str:
    """A fresh, empty database on the server; returns its URL."""
    name = f"t_{uuid.uuid4().hex[:16]}"

    async def create() -> None:
        connection = await asyncpg.connect(admin_url)
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(create())
    return admin_url.rsplit("/", 1)[0] + f"/{name}"
