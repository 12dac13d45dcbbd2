"""Audit records hold the person's national identity number, so they are not kept for
ever: the purge deletes them `audit_retention_days` after the login, not before. On
SQLite and PostgreSQL, by the instance's own timer, with the provider's clock moved on
instead of waiting a day."""

from __future__ import annotations

import asyncio
import time

import sqlalchemy
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support import altinn_oracle as oracle
from tests.support.login_driver import LoginDriver
from tests.support.provider import MovableClock, run_provider
from tests.support.representation import redeem_details, to_picker

RESOURCE = "app_ttd_apps-test"
HOUR = 3600


async def count(async_url: str, table: str) -> int:
    engine = create_async_engine(async_url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(sqlalchemy.text(f"SELECT count(*) FROM {table}"))
            return int(result.scalar_one())
    finally:
        await engine.dispose()


async def wait_for_none(async_url: str, table: str, seconds: float = 10.0) -> int:
    """The table's rows once the purge timer has emptied it, or after `seconds`."""
    deadline = time.monotonic() + seconds
    while (left := await count(async_url, table)) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    return left


def granted_login(base_url: str, pid: str, orgno: str) -> None:
    driver = LoginDriver(base_url)
    try:
        picker = to_picker(driver, [oracle.resource_detail(RESOURCE)], pid)
        assert redeem_details(driver, driver.choose(picker, parties=[orgno]))
    finally:
        driver.close()


async def test_audit_records_go_after_the_retention_and_not_before(
    any_database_url, mock_altinn, altinn_people, altinn_demo
):
    pid = altinn_people["main_with_subunits"]
    orgno = sorted(oracle.eligible(altinn_demo, pid, RESOURCE))[0]
    clock = MovableClock()
    overrides = {
        "sources": {"altinn": {"base_url": mock_altinn}},
        "purge_interval_seconds": 0.1,
        "audit_retention_days": 1,
    }
    with run_provider(any_database_url, overrides, clock=clock) as provider:
        url = provider.settings.async_database_url
        granted_login(provider.base_url, pid, orgno)
        assert await count(url, "audit_records") == 1

        clock.advance(23 * HOUR)  # the login, its grant and session have expired
        assert await wait_for_none(url, "interactions") == 0, "the purge did not run"
        await asyncio.sleep(0.5)  # a few more purges at the same time
        kept = await count(url, "audit_records")

        clock.advance(2 * HOUR)  # a day and an hour after the login
        gone = await wait_for_none(url, "audit_records")

    assert kept == 1, "an audit record went before its retention ended"
    assert gone == 0, "an audit record outlived its retention"
