"""`Store.finish_interaction`, the end of a login, on SQLite (a transaction) and on
PostgreSQL (one statement, `finish_in_one_statement`): everything is written or nothing,
only the first finish counts, and PostgreSQL gets one round trip."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from ansattporten.settings import async_database_url
from ansattporten.store import AuditRecord, AuthorizationCode, Grant, Interaction, Store
from ansattporten.store.migrate import upgrade

COUNTED = ("grants", "authorization_codes", "audit_records")
KEY_TAKEN = (IntegrityError, sqlite3.IntegrityError, asyncpg.UniqueViolationError)
"""However the driver in use reports a duplicate key."""
PERSON = "24817998887"  # synthetic: month + 80


@pytest.fixture
async def store(any_database_url: str) -> AsyncIterator[Store]:
    url = async_database_url(any_database_url)
    await asyncio.to_thread(upgrade, url)
    opened = Store(url)
    yield opened
    await opened.aclose()


def interaction(interaction_id: str) -> Interaction:
    now = time.time()
    return Interaction(
        id=interaction_id,
        browser_hash="b" * 64,
        csrf_token="c" * 32,
        client_id="service",
        request={"redirect_uri": "http://service.test/callback"},
        stage="choose",
        created_at=now,
        expires_at=now + 600,
        pid=PERSON,
        acr="idporten-loa-substantial",
        amr=["TestID"],
        auth_time=int(now),
        lookup={"parties": []},
    )


def rows(tag: str, *, code_hash: str | None = None) -> dict[str, Any]:
    now = time.time()
    grant_id = f"grant-{tag}"
    return {
        "grant": Grant(
            id=grant_id,
            client_id="service",
            sub=f"sub-{tag}",
            authorization_details=[{"type": "ansattporten:altinn:service", "orgno": "1"}],
            created_at=now,
            expires_at=now + 3600,
            revoked_at=None,
            claims={"pid": PERSON, "amr": ["TestID"]},
        ),
        "code": AuthorizationCode(
            code_hash=code_hash or f"code-{tag}",
            client_id="service",
            grant_id=grant_id,
            redirect_uri="http://service.test/callback",
            code_challenge="x" * 43,
            claims={"sub": f"sub-{tag}", "nonce": "n"},
            expires_at=now + 60,
            consumed_at=None,
        ),
        "audit": AuditRecord(
            created_at=now,
            pid=PERSON,
            client_id="service",
            outcome="granted",
            offered=["310000001"],
            chosen=["310000001"],
            sources=[{"source": "altinn", "ms": 10.0}],
        ),
    }


async def table_counts(store: Store) -> dict[str, int]:
    engine = create_async_engine(store.engine.url)
    try:
        async with engine.connect() as connection:
            counts = {}
            for table in COUNTED:
                result = await connection.execute(text(f"SELECT count(*) FROM {table}"))
                counts[table] = result.scalar_one()
            return counts
    finally:
        await engine.dispose()


async def test_a_finish_writes_grant_code_and_audit_and_marks_the_login_done(store: Store) -> None:
    await store.save_interaction(interaction("one"))

    assert await store.finish_interaction("one", "choose", **rows("one"))

    assert await table_counts(store) == {table: 1 for table in COUNTED}
    finished = await store.get_interaction("one")
    assert finished is not None
    assert finished.stage == "done"
    grant = await store.get_grant("grant-one")
    assert grant is not None
    assert grant.authorization_details == [{"type": "ansattporten:altinn:service", "orgno": "1"}]
    assert grant.claims == {"pid": PERSON, "amr": ["TestID"]}
    code = await store.consume_code("code-one", time.time())
    assert code is not None
    assert code.claims == {"sub": "sub-one", "nonce": "n"}
    (audit,) = await store.list_audit()
    assert audit.id
    assert audit.pid == PERSON
    assert audit.chosen == ["310000001"]


async def test_without_an_audit_record_only_grant_and_code_are_written(store: Store) -> None:
    await store.save_interaction(interaction("two"))
    written = rows("two")
    del written["audit"]

    assert await store.finish_interaction("two", "choose", audit=None, **written)

    assert await table_counts(store) == {
        "grants": 1,
        "authorization_codes": 1,
        "audit_records": 0,
    }


async def test_only_the_first_of_two_finishes_counts(store: Store) -> None:
    """A double-submitted picker form: the second finds the login done, writes nothing."""
    await store.save_interaction(interaction("three"))
    assert await store.finish_interaction("three", "choose", **rows("three-a"))

    assert not await store.finish_interaction("three", "choose", **rows("three-b"))

    assert await table_counts(store) == {table: 1 for table in COUNTED}
    assert await store.get_grant("grant-three-b") is None


async def test_a_login_at_another_stage_is_not_finished(store: Store) -> None:
    await store.save_interaction(interaction("four"))
    assert await store.advance_interaction("four", "choose", stage="failed")

    assert not await store.finish_interaction("four", "choose", **rows("four"))

    assert await table_counts(store) == {table: 0 for table in COUNTED}


async def test_a_failing_insert_leaves_nothing_written_and_the_login_open(store: Store) -> None:
    """The code's key is taken already: the grant and audit record must not stay behind,
    and the login must still be at the picker."""
    await store.save_interaction(interaction("five"))
    await store.save_interaction(interaction("six"))
    assert await store.finish_interaction("five", "choose", **rows("five", code_hash="same"))

    with pytest.raises(KEY_TAKEN):
        await store.finish_interaction("six", "choose", **rows("six", code_hash="same"))

    assert await table_counts(store) == {table: 1 for table in COUNTED}
    still_open = await store.get_interaction("six")
    assert still_open is not None
    assert still_open.stage == "choose"
    assert await store.get_grant("grant-six") is None


async def test_on_postgresql_a_finish_is_one_round_trip(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = async_database_url(postgres_url)
    await asyncio.to_thread(upgrade, url)
    store = Store(url)
    try:
        await store.save_interaction(interaction("seven"))
        sent: list[str] = []
        for name in ("execute", "fetch", "fetchrow", "fetchval"):
            monkeypatch.setattr(asyncpg.Connection, name, recording(name, sent))

        assert await store.finish_interaction("seven", "choose", **rows("seven"))
    finally:
        monkeypatch.undo()
        await store.aclose()

    assert len(sent) == 1, sent
    assert " ".join(sent[0].split()).startswith("fetch: WITH done AS (UPDATE interactions")


def recording(name: str, sent: list[str]) -> Any:
    original = getattr(asyncpg.Connection, name)

    async def record(self: asyncpg.Connection, query: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(f"{name}: {query}")
        return await original(self, query, *args, **kwargs)

    return record
