"""The PostgreSQL runner on a real server: connections kept and reused, dead ones
replaced, retries only where nothing can have taken effect, and nothing half-written."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ansattporten.store.asyncpg_runner import KEEP, AsyncpgRunner, Mode, OneStatementBroken
from ansattporten.store.database import make_engine

METADATA = MetaData()
NOTES = Table(
    "notes",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("text", String, nullable=False),
)
ADD = insert(NOTES)
ALL = select(NOTES.c.id, NOTES.c.text).order_by(NOTES.c.id)
MY_PID = select(func.pg_backend_pid().label("pid"))
KILL_ME = select(func.pg_terminate_backend(func.pg_backend_pid()).label("killed"))
SERVER_HUNG_UP = (
    asyncpg.exceptions.AdminShutdownError,  # the server said why before closing
    asyncpg.exceptions.ConnectionDoesNotExistError,  # or closed before asyncpg read it
)
SLEEP = select(func.pg_sleep(5).label("slept"))
SHORT_SLEEP = select(func.pg_sleep(0.2).label("slept"))


@pytest.fixture
async def engine(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(postgres_url.replace("postgresql://", "postgresql+asyncpg://", 1))
    async with engine.begin() as connection:
        await connection.run_sync(METADATA.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
async def runner(engine: AsyncEngine) -> AsyncIterator[AsyncpgRunner]:
    runner = AsyncpgRunner(engine)
    yield runner
    await runner.aclose()


def backend_pid(connection: Any) -> int:
    return int(connection.execute(MY_PID, {}).scalar_one())


def add(connection: Any, *notes: tuple[int, str]) -> None:
    for note_id, text in notes:
        connection.execute(ADD, {"id": note_id, "text": text})


def notes(connection: Any) -> list[tuple[int, str]]:
    return [(row.id, row.text) for row in connection.execute(ALL, {})._rows]


async def test_one_connection_serves_operations_one_after_another(
    runner: AsyncpgRunner, engine: AsyncEngine
) -> None:
    first = await runner.run(backend_pid, (), Mode.READ)
    await runner.run(add, ((1, "a"), (2, "b")), Mode.TRANSACTION)
    await runner.run(add, ((3, "c"),), Mode.ONE_STATEMENT)
    assert await runner.run(backend_pid, (), Mode.READ) == first
    assert await runner.run(notes, (), Mode.READ) == [(1, "a"), (2, "b"), (3, "c")]
    assert engine.sync_engine.pool.checkedout() == 1  # type: ignore[attr-defined]


async def test_a_connection_the_server_closed_while_idle_is_replaced(
    runner: AsyncpgRunner, postgres_url: str
) -> None:
    before = await runner.run(backend_pid, (), Mode.READ)
    admin = await asyncpg.connect(postgres_url)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", before)
    finally:
        await admin.close()
    await asyncio.sleep(0.2)  # the closed socket reaches the event loop
    after = await runner.run(backend_pid, (), Mode.READ)
    assert after != before


async def test_a_read_whose_connection_dies_is_tried_once_more(runner: AsyncpgRunner) -> None:
    attempts: list[int] = []

    def dies_the_first_time(connection: Any) -> int:
        attempts.append(1)
        if len(attempts) == 1:
            connection.execute(KILL_ME, {})
        return backend_pid(connection)

    assert await runner.run(dies_the_first_time, (), Mode.READ) > 0
    assert len(attempts) == 2


async def test_a_write_whose_connection_dies_after_sending_is_not_retried(
    runner: AsyncpgRunner,
) -> None:
    attempts: list[int] = []

    def dies(connection: Any) -> None:
        attempts.append(1)
        connection.execute(KILL_ME, {})

    for mode in (Mode.ONE_STATEMENT, Mode.TRANSACTION):
        attempts.clear()
        with pytest.raises(SERVER_HUNG_UP):
            await runner.run(dies, (), mode)
        assert len(attempts) == 1
    assert await runner.run(notes, (), Mode.READ) == []


async def test_a_failing_transaction_writes_nothing_and_leaves_a_clean_connection(
    runner: AsyncpgRunner,
) -> None:
    await runner.run(add, ((1, "a"),), Mode.ONE_STATEMENT)
    pid = await runner.run(backend_pid, (), Mode.READ)
    with pytest.raises(asyncpg.exceptions.UniqueViolationError):
        await runner.run(add, ((2, "b"), (1, "again")), Mode.TRANSACTION)
    assert await runner.run(notes, (), Mode.READ) == [(1, "a")]
    assert await runner.run(backend_pid, (), Mode.READ) == pid  # a SQL error keeps it


async def test_a_python_error_mid_transaction_rolls_back_and_drops_the_connection(
    runner: AsyncpgRunner,
) -> None:
    pid = await runner.run(backend_pid, (), Mode.READ)

    def half_then_fail(connection: Any) -> None:
        add(connection, (1, "a"))
        raise ValueError("a bug after the first write")

    with pytest.raises(ValueError, match="a bug"):
        await runner.run(half_then_fail, (), Mode.TRANSACTION)
    assert await runner.run(notes, (), Mode.READ) == []
    assert await runner.run(backend_pid, (), Mode.READ) != pid


async def test_one_statement_mode_refuses_a_second_statement(runner: AsyncpgRunner) -> None:
    with pytest.raises(OneStatementBroken):
        await runner.run(add, ((1, "a"), (2, "b")), Mode.ONE_STATEMENT)
    assert await runner.run(notes, (), Mode.READ) == [(1, "a")]  # sent before the refusal


async def test_a_cancelled_operation_does_not_leave_its_connection_for_the_next(
    runner: AsyncpgRunner,
) -> None:
    def sleeps(connection: Any) -> None:
        connection.execute(SLEEP, {})

    task = asyncio.ensure_future(runner.run(sleeps, (), Mode.TRANSACTION))
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    started = asyncio.get_running_loop().time()
    assert await runner.run(notes, (), Mode.READ) == []
    assert asyncio.get_running_loop().time() - started < 2  # not queued behind the sleep


async def test_a_burst_keeps_at_most_keep_connections_and_gives_back_the_rest(
    runner: AsyncpgRunner, engine: AsyncEngine
) -> None:
    def slow_read(connection: Any) -> None:
        connection.execute(SHORT_SLEEP, {})

    await asyncio.gather(*(runner.run(slow_read, (), Mode.READ) for _ in range(KEEP + 4)))
    pool: Any = engine.sync_engine.pool
    assert pool.checkedout() == KEEP
    await runner.aclose()
    assert pool.checkedout() == 0
