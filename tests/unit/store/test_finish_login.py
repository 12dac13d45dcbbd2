"""`Store.finish_login`, the end of a login, on SQLite (a transaction) and on PostgreSQL
(one statement): everything is written or nothing, only the first finish counts, and
PostgreSQL gets one round trip."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from typing import Any

import asyncpg
import pytest

from ansattporten.settings import async_database_url
from ansattporten.store import Store
from ansattporten.store import statements as sql
from ansattporten.store.migrate import upgrade
from ansattporten.store.sql import Connection, Mode
from tests.unit.store.conftest import PERSON, finished, login

COUNTED = ("grants", "authorization_codes", "audit_records")
KEY_TAKEN = (sqlite3.IntegrityError, asyncpg.UniqueViolationError)
"""However the driver in use reports a duplicate key."""


async def table_counts(store: Store) -> dict[str, int]:
    async def count(connection: Connection, table: str) -> int:
        row = await connection.row(sql.Sql(f"SELECT count(*) FROM {table}"))
        assert row is not None
        return int(row[0])

    return {table: await store.database.run(count, table, mode=Mode.READ) for table in COUNTED}


async def test_a_finish_writes_grant_code_and_audit_and_marks_the_login_done(store: Store) -> None:
    await store.start_login(login("one"))
    written = finished("one")

    assert await store.finish_login("one", "choose", **written)  # type: ignore[arg-type]

    assert await table_counts(store) == {table: 1 for table in COUNTED}
    done = await store.load_login("one")
    assert done is not None
    assert done.stage == "done"
    grant = await store.get_grant("grant-one")
    assert grant == written["grant"]
    assert grant is not None
    assert grant.authorization_details == [{"type": "ansattporten:altinn:service", "orgno": "1"}]
    code = await store.consume_code("code-one", time.time())
    assert code is not None
    assert code.claims == written["code"].claims  # type: ignore[attr-defined]
    (audit,) = await store.list_audit()
    assert audit.id
    assert audit.pid == PERSON
    assert audit.chosen == ("310000001",)


async def test_without_an_audit_record_only_grant_and_code_are_written(store: Store) -> None:
    await store.start_login(login("two"))
    written = finished("two")
    del written["audit"]

    assert await store.finish_login("two", "choose", audit=None, **written)  # type: ignore[arg-type]

    assert await table_counts(store) == {
        "grants": 1,
        "authorization_codes": 1,
        "audit_records": 0,
    }


async def test_only_the_first_of_two_finishes_counts(store: Store) -> None:
    """A double-submitted picker form: the second finds the login done, writes nothing."""
    await store.start_login(login("three"))
    assert await store.finish_login("three", "choose", **finished("three-a"))  # type: ignore[arg-type]

    assert not await store.finish_login("three", "choose", **finished("three-b"))  # type: ignore[arg-type]

    assert await table_counts(store) == {table: 1 for table in COUNTED}
    assert await store.get_grant("grant-three-b") is None


async def test_a_login_at_another_stage_is_not_finished(store: Store) -> None:
    await store.start_login(login("four"))
    assert await store.fail_login("four", "choose", "access_denied")

    assert not await store.finish_login("four", "choose", **finished("four"))  # type: ignore[arg-type]

    assert await table_counts(store) == {table: 0 for table in COUNTED}


async def test_a_failing_insert_leaves_nothing_written_and_the_login_open(store: Store) -> None:
    """The code's key is taken already: the grant and audit record must not stay behind,
    and the login must still be at the picker."""
    await store.start_login(login("five"))
    await store.start_login(login("six"))
    assert await store.finish_login("five", "choose", **finished("five", code_hash="same"))  # type: ignore[arg-type]

    with pytest.raises(KEY_TAKEN):
        await store.finish_login("six", "choose", **finished("six", code_hash="same"))  # type: ignore[arg-type]

    assert await table_counts(store) == {table: 1 for table in COUNTED}
    still_open = await store.load_login("six")
    assert still_open is not None
    assert still_open.stage == "choose"
    assert await store.get_grant("grant-six") is None


async def test_a_failed_login_and_its_audit_record_are_written_together(store: Store) -> None:
    await store.start_login(login("seven"))
    audit = finished("seven")["audit"]

    assert await store.fail_login("seven", "choose", "temporarily_unavailable", audit)  # type: ignore[arg-type]
    assert not await store.fail_login("seven", "choose", "access_denied", audit)  # type: ignore[arg-type]

    assert (await table_counts(store))["audit_records"] == 1  # the second wrote nothing
    failed = await store.load_login("seven")
    assert failed is not None
    assert (failed.stage, failed.failure) == ("failed", "temporarily_unavailable")


async def test_on_postgresql_a_finish_is_one_round_trip(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = async_database_url(postgres_url)
    await asyncio.to_thread(upgrade, url)
    store = Store(url)
    try:
        await store.start_login(login("eight"))
        sent: list[str] = []
        for name in ("execute", "fetch", "fetchrow", "fetchval"):
            monkeypatch.setattr(asyncpg.Connection, name, recording(name, sent))

        assert await store.finish_login("eight", "choose", **finished("eight"))  # type: ignore[arg-type]
    finally:
        monkeypatch.undo()
        await store.aclose()

    assert len(sent) == 1, sent
    assert " ".join(sent[0].split()).startswith("fetchrow: WITH done AS (UPDATE interactions")


def recording(name: str, sent: list[str]) -> Any:
    original = getattr(asyncpg.Connection, name)

    async def record(self: asyncpg.Connection, query: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(f"{name}: {query}")
        return await original(self, query, *args, **kwargs)

    return record
