"""Re-reading the signing keys keeps the imported keys while the key set is the same:
importing them again costs tens of milliseconds of the event loop (RSA key checks),
every `key_reload_seconds`, on every worker. A rotation, or a published key whose
activation time comes, still gives new keys at the next reload."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from ansattporten.flows.keyring import KeyRing, rotate
from ansattporten.settings import async_database_url
from ansattporten.store import Store
from ansattporten.store.migrate import upgrade


@pytest.fixture
async def store(any_database_url: str) -> AsyncIterator[Store]:
    url = async_database_url(any_database_url)
    await asyncio.to_thread(upgrade, url)
    opened = Store(url)
    try:
        yield opened
    finally:
        await opened.aclose()


async def test_a_reload_that_finds_the_same_keys_keeps_them(store: Store) -> None:
    ring = KeyRing(store)
    now = time.time()
    await ring.load(now)
    first = ring.keys
    await ring.load(now + 1)
    assert ring.keys is first


async def test_a_rotation_reaches_the_next_reload(store: Store) -> None:
    ring = KeyRing(store)
    now = time.time()
    await ring.load(now)
    before = ring.keys
    rotation = await rotate(store, "RS256", now=now, publish_ahead=0, keep_previous=600)
    await ring.load(now + 1)
    assert ring.keys is not before
    assert ring.keys.active_kid == rotation.new_kid


async def test_a_published_key_starts_signing_when_its_time_comes(store: Store) -> None:
    ring = KeyRing(store)
    now = time.time()
    await ring.load(now)
    rotation = await rotate(store, "RS256", now=now, publish_ahead=60, keep_previous=600)
    await ring.load(now + 1)
    published_only = ring.keys
    assert published_only.active_kid != rotation.new_kid
    assert rotation.new_kid in {key["kid"] for key in published_only.public_jwks()["keys"]}
    await ring.load(now + 61)
    assert ring.keys.active_kid == rotation.new_kid
