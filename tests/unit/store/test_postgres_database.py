"""The store's PostgreSQL runner on a real server: connections kept and reused, dead
ones replaced, retries only where nothing can have taken effect, and nothing
half-written."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from ansattporten.store.postgres import KEEP, PostgresDatabase
from ansattporten.store.sql import Connection, Mode, OneStatementBroken, Sql

CREATE = "CREATE TABLE notes (id integer PRIMARY KEY, text varchar NOT NULL)"
ADD = Sql("INSERT INTO notes (id, text) VALUES ($1, $2)")
ALL = Sql("SELECT id, text FROM notes ORDER BY id")
MY_PID = Sql("SELECT pg_backend_pid()")
KILL_ME = Sql("SELECT pg_terminate_backend(pg_backend_pid())")
SERVER_HUNG_UP = (
    asyncpg.exceptions.AdminShutdownError,  # the server said why before closing
    asyncpg.exceptions.ConnectionDoesNotExistError,  # or closed before asyncpg read it
)
SLEEP = Sql("SELECT pg_sleep(5)")
SHORT_SLEEP = Sql("SELECT pg_sleep(0.2)")


@pytest.fixture
async def database(postgres_url: str) -> AsyncIterator[PostgresDatabase]:
    admin = await asyncpg.connect(postgres_url)
    try:
        await admin.execute(CREATE)
    finally:
        await admin.close()
    opened = PostgresDatabase(postgres_url)
    yield opened
    await opened.close()


async def backend_pid(connection: Connection) -> int:
    row = await connection.row(MY_PID)
    assert row is not None
    return int(row[0])


async def add(connection: Connection, *notes: tuple[int, str]) -> None:
    for note_id, text in notes:
        await connection.changed(ADD, note_id, text)


async def notes(connection: Connection) -> list[tuple[int, str]]:
    return [(row[0], row[1]) for row in await connection.rows(ALL)]


async def test_one_connection_serves_operations_one_after_another(
    database: PostgresDatabase,
) -> None:
    first = await database.run(backend_pid, mode=Mode.READ)
    await database.run(add, (1, "a"), (2, "b"), mode=Mode.TRANSACTION)
    await database.run(add, (3, "c"), mode=Mode.ONE_STATEMENT)
    assert await database.run(backend_pid, mode=Mode.READ) == first
    assert await database.run(notes, mode=Mode.READ) == [(1, "a"), (2, "b"), (3, "c")]
    assert database.open_connections == 1


async def test_a_connection_the_server_closed_while_idle_is_replaced(
    database: PostgresDatabase, postgres_url: str
) -> None:
    before = await database.run(backend_pid, mode=Mode.READ)
    admin = await asyncpg.connect(postgres_url)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", before)
    finally:
        await admin.close()
    await asyncio.sleep(0.2)  # the closed socket reaches the event loop
    after = await database.run(backend_pid, mode=Mode.READ)
    assert after != before


async def test_a_read_whose_connection_dies_is_tried_once_more(
    database: PostgresDatabase,
) -> None:
    attempts: list[int] = []

    async def dies_the_first_time(connection: Connection) -> int:
        attempts.append(1)
        if len(attempts) == 1:
            await connection.row(KILL_ME)
        return await backend_pid(connection)

    assert await database.run(dies_the_first_time, mode=Mode.READ) > 0
    assert len(attempts) == 2


async def test_a_write_whose_connection_dies_after_sending_is_not_retried(
    database: PostgresDatabase,
) -> None:
    attempts: list[int] = []

    async def dies(connection: Connection) -> None:
        attempts.append(1)
        await connection.row(KILL_ME)

    for mode in (Mode.ONE_STATEMENT, Mode.TRANSACTION):
        attempts.clear()
        with pytest.raises(SERVER_HUNG_UP):
            await database.run(dies, mode=mode)
        assert len(attempts) == 1
    assert await database.run(notes, mode=Mode.READ) == []


async def test_a_failing_transaction_writes_nothing_and_leaves_a_clean_connection(
    database: PostgresDatabase,
) -> None:
    await database.run(add, (1, "a"), mode=Mode.ONE_STATEMENT)
    pid = await database.run(backend_pid, mode=Mode.READ)
    with pytest.raises(asyncpg.exceptions.UniqueViolationError):
        await database.run(add, (2, "b"), (1, "again"), mode=Mode.TRANSACTION)
    assert await database.run(notes, mode=Mode.READ) == [(1, "a")]
    assert await database.run(backend_pid, mode=Mode.READ) == pid  # a SQL error keeps it


async def test_a_python_error_mid_transaction_rolls_back_and_drops_the_connection(
    database: PostgresDatabase,
) -> None:
    pid = await database.run(backend_pid, mode=Mode.READ)

    async def half_then_fail(connection: Connection) -> None:
        await add(connection, (1, "a"))
        raise ValueError("a bug after the first write")

    with pytest.raises(ValueError, match="a bug"):
        await database.run(half_then_fail, mode=Mode.TRANSACTION)
    assert await database.run(notes, mode=Mode.READ) == []
    assert await database.run(backend_pid, mode=Mode.READ) != pid


async def test_one_statement_mode_refuses_a_second_statement(database: PostgresDatabase) -> None:
    with pytest.raises(OneStatementBroken):
        await database.run(add, (1, "a"), (2, "b"), mode=Mode.ONE_STATEMENT)
    assert await database.run(notes, mode=Mode.READ) == [(1, "a")]  # sent before the refusal


async def test_a_cancelled_operation_does_not_leave_its_connection_for_the_next(
    database: PostgresDatabase,
) -> None:
    async def sleeps(connection: Connection) -> None:
        await connection.row(SLEEP)

    task = asyncio.ensure_future(database.run(sleeps, mode=Mode.TRANSACTION))
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    started = asyncio.get_running_loop().time()
    assert await database.run(notes, mode=Mode.READ) == []
    assert asyncio.get_running_loop().time() - started < 2  # not queued behind the sleep


async def test_a_burst_keeps_at_most_keep_connections_and_closes_the_rest(
    database: PostgresDatabase,
) -> None:
    async def slow_read(connection: Connection) -> None:
        await connection.row(SHORT_SLEEP)

    await asyncio.gather(*(database.run(slow_read, mode=Mode.READ) for _ in range(KEEP + 4)))
    assert database.open_connections == KEEP
    await database.close()
    assert database.open_connections == 0


async def test_at_most_limit_connections_are_open_and_the_rest_wait(postgres_url: str) -> None:
    database = PostgresDatabase(postgres_url, keep=1, limit=2)
    most = 0

    async def slow_read(connection: Connection) -> None:
        nonlocal most
        most = max(most, database.open_connections)
        await connection.row(SHORT_SLEEP)

    try:
        await asyncio.gather(*(database.run(slow_read, mode=Mode.READ) for _ in range(5)))
    finally:
        await database.close()
    assert most == 2
    assert database.open_connections == 0
