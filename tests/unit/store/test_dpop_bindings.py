"""The DPoP key a code or a refresh token is bound to, on SQLite and PostgreSQL: kept
with the row, given back with the code, and a bound refresh token is traded only for
its key (a wrong key leaves it unused)."""

from __future__ import annotations

import time

import msgspec

from ansattporten.records import RefreshToken
from ansattporten.store import Store
from tests.unit.store.conftest import finished, login

JKT = "A" * 43
OTHER = "B" * 43


async def granted(store: Store, tag: str, *, code_jkt: str | None = None) -> str:
    await store.start_login(login(tag))
    written = finished(tag)
    written["code"] = msgspec.structs.replace(written["code"], dpop_jkt=code_jkt)  # type: ignore[type-var]
    assert await store.finish_login(tag, "choose", **written)  # type: ignore[arg-type]
    return f"grant-{tag}"


def refresh_token(tag: str, grant_id: str, jkt: str | None) -> RefreshToken:
    now = time.time()
    return RefreshToken(
        token_hash=f"rt-{tag}",
        grant_id=grant_id,
        client_id="service",
        created_at=now,
        expires_at=now + 600,
        dpop_jkt=jkt,
    )


async def test_a_code_keeps_its_key(store: Store) -> None:
    await granted(store, "bound", code_jkt=JKT)
    await granted(store, "free")

    bound = await store.consume_code("code-bound", time.time())
    free = await store.consume_code("code-free", time.time())

    assert bound is not None
    assert bound.dpop_jkt == JKT
    assert free is not None
    assert free.dpop_jkt is None


async def test_a_bound_refresh_token_is_traded_only_for_its_key(store: Store) -> None:
    grant_id = await granted(store, "r")
    await store.save_refresh_token(refresh_token("one", grant_id, JKT))
    now = time.time()

    for presented in (OTHER, None):
        successor = refresh_token(f"no-{presented}", "", JKT)
        assert (
            await store.rotate_refresh_token("rt-one", "service", successor, now, presented) is None
        )
    assert (await store.grant_is_active(grant_id, now)) is True
    found = await store.find_refresh_token("rt-one")
    assert found is not None
    assert found.used_at is None
    assert found.dpop_jkt == JKT

    grant = await store.rotate_refresh_token(
        "rt-one", "service", refresh_token("two", "", JKT), now, JKT
    )

    assert grant is not None
    assert grant.id == grant_id
    successor = await store.find_refresh_token("rt-two")
    assert successor is not None
    assert successor.dpop_jkt == JKT


async def test_an_unbound_refresh_token_is_traded_with_or_without_a_key(store: Store) -> None:
    grant_id = await granted(store, "u")
    await store.save_refresh_token(refresh_token("a", grant_id, None))
    await store.save_refresh_token(refresh_token("b", grant_id, None))
    now = time.time()

    assert await store.rotate_refresh_token(
        "rt-a", "service", refresh_token("a2", "", None), now, JKT
    )
    assert await store.rotate_refresh_token("rt-b", "service", refresh_token("b2", "", None), now)
