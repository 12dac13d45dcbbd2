"""A step that uses something up stores what it yields in the same operation: when the
second half fails (a fault injected in the database: a trigger refuses the row), the
first half did not happen either, and the retry succeeds. On SQLite and PostgreSQL.

- /token: the code is marked used and the refresh token written together; a failure in
  between must not burn the code with no tokens issued.
- /authorize: the pushed request is marked used and the login written together; a
  failure in between must not use up the request_uri with no login to show for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import closing

import asyncpg
import pytest

from tests.integration.security.conftest import driver_factory
from tests.integration.security.support import PID, SecurityDriver, token_is_alive
from tests.support.provider import RunningProvider, run_provider
from tests.support.tokens import sqlite_path

REFUSE = {
    "sqlite": "CREATE TRIGGER refuse BEFORE INSERT ON {table} "
    "BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "postgres": """
        CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$;
        CREATE TRIGGER refuse BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse();
    """,
}
ALLOW = {
    "sqlite": "DROP TRIGGER refuse",
    "postgres": "DROP TRIGGER refuse ON {table}; DROP FUNCTION refuse();",
}


def kind_of(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgres"


def run_sql(database_url: str, statement: str) -> None:
    if kind_of(database_url) == "sqlite":
        with closing(sqlite3.connect(sqlite_path(database_url), timeout=30)) as db:
            db.executescript(statement)
        return

    async def on_postgres() -> None:
        connection = await asyncpg.connect(database_url)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(on_postgres())


@contextlib.contextmanager
def inserts_refused(database_url: str, table: str) -> Iterator[None]:
    kind = kind_of(database_url)
    run_sql(database_url, REFUSE[kind].format(table=table))
    try:
        yield
    finally:
        run_sql(database_url, ALLOW[kind].format(table=table))


@pytest.fixture
def provider(any_database_url, make_settings) -> Iterator[RunningProvider]:
    with run_provider(any_database_url, make_settings()) as running:
        yield running


@pytest.fixture
def service(provider, client_keys) -> Iterator[SecurityDriver]:
    make, made = driver_factory(provider, client_keys)
    yield make("refresh-service")
    for driver in made:
        driver.close()


def test_a_failed_redemption_leaves_the_code_redeemable(provider, service):
    code = service.login_for_code(PID)

    with inserts_refused(provider.settings.database_url, "refresh_tokens"):
        failed = service.redeem(code)

    assert failed.status_code == 500, failed.text
    assert failed.json()["error"] == "server_error"
    retried = service.redeem(code)
    assert retried.status_code == 200, retried.text
    tokens = retried.json()
    assert token_is_alive(service, tokens["access_token"])
    assert service.refresh(tokens["refresh_token"]).status_code == 200


def test_a_failed_login_start_leaves_the_pushed_request_usable(provider, service):
    pushed = service.push(service.params())
    assert pushed.status_code == 201, pushed.text
    params = {"client_id": service.client_id, "request_uri": pushed.json()["request_uri"]}

    with inserts_refused(provider.settings.database_url, "interactions"):
        failed = service.authorize(params)

    assert failed.status_code == 500, failed.text
    retried = service.authorize(params)
    assert retried.status_code == 303, retried.text
    assert "/login/" in retried.headers["location"]
    callback = service.callback(service.login(retried.headers["location"], PID))
    assert service.redeem(callback["code"]).status_code == 200
