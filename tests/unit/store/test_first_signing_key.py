"""Workers or instances starting together on an empty database create one signing key
per algorithm between them, not one each: otherwise, until keys are next re-read, each
signs with its own key and publishes a JWKS the others' tokens are missing from.

Each ring runs in its own thread with its own store (its own connection), as workers
do in their own processes; generating an RSA key takes long enough that all of them
read the empty table before any has written."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter

from ansattporten.flows.keyring import ALGORITHMS, KeyRing
from ansattporten.settings import async_database_url
from ansattporten.spec.jose import SigningKeys
from ansattporten.store import Store
from ansattporten.store.migrate import upgrade

STARTING_TOGETHER = 6


def start_worker(url: str, ready: threading.Barrier, rings: list[SigningKeys]) -> None:
    async def start() -> None:
        store = Store(url)
        try:
            ring = KeyRing(store)
            ready.wait()
            await ring.load()
            rings.append(ring.keys)
        finally:
            await store.aclose()

    asyncio.run(start())


async def test_workers_starting_together_create_one_key_per_algorithm(any_database_url):
    url = async_database_url(any_database_url)
    await asyncio.to_thread(upgrade, url)
    ready = threading.Barrier(STARTING_TOGETHER)
    rings: list[SigningKeys] = []
    workers = [
        threading.Thread(target=start_worker, args=(url, ready, rings))
        for _ in range(STARTING_TOGETHER)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    store = Store(url)
    try:
        keys = await store.signing_keys()
    finally:
        await store.aclose()
    assert Counter(key.alg for key in keys) == dict.fromkeys(ALGORITHMS, 1)
    assert len(rings) == STARTING_TOGETHER
    assert len({ring.active_kid for ring in rings}) == 1
    assert len({str(ring.public_jwks()) for ring in rings}) == 1
