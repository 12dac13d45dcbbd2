"""Expired rows are deleted (`ansattporten.housekeeping`): login transactions with the
person's number, pushed requests, codes, grants, refresh tokens, sessions and audit
records past their retention (`representation/test_audit_retention.py` over a real
login). On SQLite and PostgreSQL, and by the instance's own timer."""

from __future__ import annotations

import time

import sqlalchemy
from sqlalchemy.ext.asyncio import create_async_engine

from ansattporten.store import Store
from ansattporten.store import housekeeping_operations as store_module
from tests.support.login_driver import LoginDriver
from tests.support.provider import run_provider

TABLES = (
    "interactions",
    "pushed_requests",
    "authorization_codes",
    "grants",
    "refresh_tokens",
    "browser_sessions",
    "client_sessions",
)
THREE_HOURS = 3 * 3600
REFRESHING_CLIENT = {
    "client_id": "confidential-service",
    "client_secret": "confidential-secret-0123456789",
    "redirect_uris": ["http://service.test/callback"],
    "grant_types": ["authorization_code", "refresh_token"],
}


def count_rows(connection: sqlalchemy.Connection) -> dict[str, int]:
    return {
        table: connection.execute(sqlalchemy.text(f"SELECT count(*) FROM {table}")).scalar_one()
        for table in TABLES
    }


def row_counts(sqlite_url: str) -> dict[str, int]:
    engine = sqlalchemy.create_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            return count_rows(connection)
    finally:
        engine.dispose()


async def row_counts_async(async_url: str) -> dict[str, int]:
    engine = create_async_engine(async_url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(count_rows)
    finally:
        await engine.dispose()


def two_logins(base_url: str, pid: str) -> None:
    driver = LoginDriver(base_url)
    try:
        for _ in range(2):
            tokens = driver.redeem(driver.login_for_code(pid)).json()
            assert tokens["refresh_token"]
    finally:
        driver.close()


async def test_only_what_has_expired_is_purged(any_database_url, testid_people):
    overrides = {"purge_interval_seconds": 0, "clients": [REFRESHING_CLIENT]}
    with run_provider(any_database_url, overrides) as provider:
        two_logins(provider.base_url, testid_people["plain_employee"])
        url = provider.settings.async_database_url
        before = await row_counts_async(url)
        store = Store(url)
        try:
            nothing = await store.purge_expired(time.time(), rate_windows_before=0)
            later = await store.purge_expired(time.time() + THREE_HOURS, rate_windows_before=0)
        finally:
            await store.aclose()
        after = await row_counts_async(url)

    assert all(before[table] >= 2 for table in TABLES), before
    assert not any(nothing.values())
    for table in TABLES:
        assert later[table] == before[table], table
        assert after[table] == 0, table


def audit_row(created_at: float) -> dict[str, object]:
    return {
        "created_at": created_at,
        "pid": "01818012345",  # synthetic: month + 80
        "client_id": "test-service",
        "outcome": "granted",
        "offered": "[]",
        "chosen": "[]",
        "sources": "[]",
    }


async def test_a_backlog_of_audit_records_goes_in_batches(any_database_url, monkeypatch):
    """Years of records (the retention newly set or shortened) go in short statements,
    every one of them: a batch of 3 here, 8 old records and 2 young ones."""
    monkeypatch.setattr(store_module, "AUDIT_PURGE_BATCH", 3)
    now = time.time()
    with run_provider(any_database_url, {"purge_interval_seconds": 0}) as provider:
        url = provider.settings.async_database_url
        engine = create_async_engine(url)
        insert = sqlalchemy.text(
            """INSERT INTO audit_records (created_at, pid, client_id, outcome, offered,
            chosen, sources) VALUES (:created_at, :pid, :client_id, :outcome, :offered,
            :chosen, :sources)"""
        )
        try:
            async with engine.begin() as connection:
                rows = [audit_row(now - 400 * 86400 + i) for i in range(8)]
                await connection.execute(insert, [*rows, audit_row(now), audit_row(now - 60)])
            store = Store(url)
            try:
                kept = await store.purge_expired(now, rate_windows_before=0)
                purged = await store.purge_expired(
                    now, rate_windows_before=0, audit_before=now - 365 * 86400
                )
            finally:
                await store.aclose()
            async with engine.connect() as connection:
                query = sqlalchemy.text("SELECT created_at FROM audit_records")
                left = (await connection.execute(query)).scalars().all()
        finally:
            await engine.dispose()

    assert kept["audit_records"] == 0, "no retention given, nothing goes"
    assert purged["audit_records"] == 8
    assert sorted(left) == [now - 60, now]


async def test_codes_are_kept_an_hour_after_they_expire(sqlite_url, testid_people):
    """As the README says: a late replay must still find its code (and revoke the grant),
    so codes go an hour after they expired, everything else at its end."""
    overrides = {"purge_interval_seconds": 0, "clients": [REFRESHING_CLIENT]}
    with run_provider(sqlite_url, overrides) as provider:
        two_logins(provider.base_url, testid_people["plain_employee"])
        url = provider.settings.async_database_url
        store = Store(url)
        try:
            half_an_hour = await store.purge_expired(time.time() + 1800, rate_windows_before=0)
            past_the_hour = await store.purge_expired(time.time() + 3700, rate_windows_before=0)
        finally:
            await store.aclose()

    assert half_an_hour["authorization_codes"] == 0
    assert half_an_hour["interactions"] == 2
    assert past_the_hour["authorization_codes"] == 2


def test_the_instance_purges_on_its_own_timer(sqlite_url, testid_people):
    settings = {"purge_interval_seconds": 0.2, "par_lifetime": 1, "login_lifetime": 1}
    with run_provider(sqlite_url, settings) as provider:
        driver = LoginDriver(provider.base_url)
        try:
            driver.start()  # a pushed request and a login transaction, both left to expire
        finally:
            driver.close()
        assert row_counts(sqlite_url)["interactions"] == 1
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and row_counts(sqlite_url)["interactions"]:
            time.sleep(0.1)
        counts = row_counts(sqlite_url)

    assert counts["interactions"] == 0
    assert counts["pushed_requests"] == 0
