"""The DPoP key a code or a refresh token is bound to, on SQLite and PostgreSQL: kept
with the row and given back with it, and carried by the successor a bound refresh token
is traded for. (Whether a proof's key matches is the token flow's check, before the
store changes anything: tests/integration/clients/test_dpop.py.)"""

from __future__ import annotations

import time

import msgspec

from ansattporten.records import RefreshToken
from ansattporten.store import Store
from tests.unit.store.conftest import finished, login

JKT = "A" * 43


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

    bound = await store.find_code("code-bound")
    free = await store.find_code("code-free")

    assert bound is not None
    assert bound.dpop_jkt == JKT
    assert free is not None
    assert free.dpop_jkt is None


async def test_a_bound_refresh_token_and_its_successor_keep_the_key(store: Store) -> None:
    grant_id = await granted(store, "r")
    now = time.time()
    first = refresh_token("one", grant_id, JKT)
    assert await store.redeem_code("code-r", "service", now, "sealed", first)

    found = await store.find_refresh_token("rt-one")
    assert found is not None
    assert found.dpop_jkt == JKT
    successor = refresh_token("two", grant_id, JKT)
    assert await store.trade_refresh_token("rt-one", "service", now, "sealed", successor)

    traded = await store.find_refresh_token("rt-two")
    assert traded is not None
    assert traded.dpop_jkt == JKT
