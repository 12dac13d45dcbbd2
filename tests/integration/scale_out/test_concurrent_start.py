"""Instances (or workers) starting at the same moment on an empty database: migrations
take turns, every process comes up, and instances share one set of signing keys.

Separate processes, as uvicorn's workers and separate instances are (Alembic keeps its
migration context in module globals, so threads of one process are not the case).
"""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from ansattporten.settings import async_database_url
from tests.support.provider import run_provider

MIGRATE = """
import sys, time
from ansattporten.store.migrate import upgrade
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # all start in the same instant
upgrade(sys.argv[1])
"""


def all_succeed_together(script: str, url: str, processes: int = 4) -> None:
    """`script` in `processes` separate processes, released at the same instant (its
    second argument); every one of them must exit cleanly."""
    start_at = str(time.time() + 4)
    running = [
        subprocess.Popen(
            [sys.executable, "-c", script, url, start_at],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(processes)
    ]
    errors = [process.communicate(timeout=120)[1] for process in running]
    for process, err in zip(running, errors, strict=True):
        assert process.returncode == 0, err.decode()[-2000:]


@pytest.mark.parametrize("database", ["sqlite_url", "postgres_url"])
def test_simultaneous_migrations(database: str, request: pytest.FixtureRequest) -> None:
    url = async_database_url(request.getfixturevalue(database))
    all_succeed_together(MIGRATE, url)


def test_two_instances_on_one_database_share_keys(postgres_url: str) -> None:
    with (
        run_provider(postgres_url, {"rate_limit": False}) as first,
        run_provider(postgres_url, {"rate_limit": False}) as second,
    ):
        first_keys = httpx.get(f"{first.base_url}/jwks.json").json()
        second_keys = httpx.get(f"{second.base_url}/jwks.json").json()
        assert first_keys == second_keys


UPSERT_CLIENT = """
import asyncio, sys, time
from ansattporten.store import Store
from ansattporten.records import Client

async def main():
    store = Store(sys.argv[1])
    time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # all start in the same instant
    for n in range(30):
        client = Client(client_id=f"svc-{n}", secret_hash=None, auth_method="none",
                        redirect_uris=("https://rp.example/cb",), updated_at=time.time())
        await store.upsert_client(client)
    await store.aclose()

asyncio.run(main())
"""


def test_simultaneous_client_registration(postgres_url: str) -> None:
    """Every worker registers the configured clients as it starts; on an empty database
    they all try to insert the same rows at once, and none may fail to start."""
    url = async_database_url(postgres_url)
    subprocess.run([sys.executable, "-c", MIGRATE, url, "0"], check=True, timeout=120)
    all_succeed_together(UPSERT_CLIENT, url)
