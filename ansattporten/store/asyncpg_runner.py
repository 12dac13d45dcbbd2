"""The hot-path statements on PostgreSQL, run on asyncpg connections directly.

Why: measured one read at a time, a read through `engine.connect()` cost about 350 us of
CPU and four round trips, where asyncpg alone needs 70 us and one. The difference was
SQLAlchemy's Connection objects, the pool's checkout and checkin events, and the
pre-ping, which on asyncpg is BEGIN, an empty query and ROLLBACK before every use.

So this runner keeps a few connections of its own, taken once from SQLAlchemy's pool
(`AsyncEngine.raw_connection`, so they carry the JSON codecs SQLAlchemy sets up) and
handed back only at shutdown or when there are more than `KEEP` idle. Between uses a
connection needs no reset: an operation either ends its transaction or never starts
one, and a connection that is left inside a transaction, or that failed in any way
other than a clean SQL error, is thrown away rather than reused.

Instead of a pre-ping, a connection that died while idle is noticed for free: asyncpg
sees the server's end of the socket close and `is_closed()` turns true, and it is
replaced before use. A connection that dies under a statement is thrown away, and the
operation is tried again on a fresh one only when no statement of it can have taken
effect: a read, or a transaction whose BEGIN failed.

Modes (`Mode`): READ runs outside a transaction; TRANSACTION wraps the operation in
BEGIN/COMMIT; ONE_STATEMENT is for operations that issue exactly one statement, which
PostgreSQL makes atomic on its own, saving the BEGIN and COMMIT round trips. A second
statement in that mode is a programming error and is refused before it is sent.

`operations` are synchronous functions; they run in a greenlet (`greenlet_spawn`), and
each `execute` hands its coroutine to the event loop (`await_only`), the mechanism
SQLAlchemy's own asyncio support is built on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import asyncpg
from sqlalchemy.engine.interfaces import PoolProxiedConnection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.util import await_only, greenlet_spawn

from ansattporten.store.prepared import Mode, OneStatementBroken, Result, StatementCache

__all__ = ["AsyncpgRunner", "Mode", "OneStatementBroken"]

T = TypeVar("T")

KEEP = 8
"""Idle connections kept between operations. One worker rarely has more statements in
flight at once; a burst beyond this borrows from SQLAlchemy's pool and gives back."""

CONNECTION_LOST = (
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.InterfaceError,
    OSError,  # ConnectionError and socket timeouts included
)


class AsyncpgConnection:
    """A stand-in for SQLAlchemy's Connection over one asyncpg connection."""

    def __init__(self, driver: Any, statements: StatementCache, mode: Mode) -> None:
        self._driver = driver
        self._statements = statements
        self._mode = mode
        self.dialect = statements.dialect
        self.sent = 0
        """Statements sent so far (BEGIN not counted)."""
        self.rolled_back = False

    def execute(self, statement: ClauseElement, parameters: Mapping[str, Any]) -> Result:
        if self._mode is Mode.ONE_STATEMENT and self.sent:
            raise OneStatementBroken("a second statement in an operation run as one statement")
        prepared = self._statements.get(statement, parameters)
        values = prepared.values(parameters)
        self.sent += 1
        if prepared.columns:
            records = await_only(self._driver.fetch(prepared.sql, *values))
            return Result([prepared.row(record) for record in records], len(records))
        status: str = await_only(self._driver.execute(prepared.sql, *values))
        count = status.rsplit(" ", 1)[-1]
        return Result([], int(count) if count.isdigit() else -1)

    def rollback(self) -> None:
        if self._mode is Mode.TRANSACTION and not self.rolled_back:
            await_only(self._driver.execute("ROLLBACK"))
            self.rolled_back = True


class AsyncpgRunner:
    """Runs `operations` functions on kept asyncpg connections (see the module docstring
    for when a connection is kept, replaced or retried)."""

    def __init__(self, engine: AsyncEngine, keep: int = KEEP) -> None:
        self._engine = engine
        self._statements = StatementCache(engine.dialect)
        self._idle: list[PoolProxiedConnection] = []
        self._keep = keep

    async def run(self, operation: Callable[..., T], args: tuple[Any, ...], mode: Mode) -> T:
        """`operation(connection, *args)` in `mode`; tried a second time only when the
        first connection died before anything of it could take effect."""
        held = await self._checkout()
        try:
            return await self._run_on(held, operation, args, mode)
        except _Retry:
            held = await self._checkout()
            return await self._run_on(held, operation, args, mode, retry=False)

    async def _run_on(
        self,
        held: PoolProxiedConnection,
        operation: Callable[..., T],
        args: tuple[Any, ...],
        mode: Mode,
        retry: bool = True,
    ) -> T:
        driver: Any = held.driver_connection
        runner = AsyncpgConnection(driver, self._statements, mode)
        try:
            if mode is Mode.TRANSACTION:
                await driver.execute("BEGIN")
            result: T = await greenlet_spawn(operation, runner, *args)
            if mode is Mode.TRANSACTION and not runner.rolled_back:
                await driver.execute("COMMIT")
        except BaseException as error:
            await self._after_error(held, runner, mode, error, retry)
            raise
        await self._checkin(held)
        return result

    async def _after_error(
        self,
        held: PoolProxiedConnection,
        runner: AsyncpgConnection,
        mode: Mode,
        error: BaseException,
        retry: bool,
    ) -> None:
        """Decide the connection's fate after `error`; raise `_Retry` when the operation
        may safely run again on another connection.

        A clean SQL error (a constraint, a serialization failure) leaves the connection
        usable once any open transaction is rolled back. A lost connection (which the
        server may also announce as an SQL error, e.g. admin shutdown, before it hangs
        up) and anything else (cancellation, a bug) leave its state unknown: it goes."""
        driver: Any = held.driver_connection
        lost = driver.is_closed() or isinstance(error, CONNECTION_LOST)
        if isinstance(error, asyncpg.PostgresError) and not lost:
            try:
                if mode is Mode.TRANSACTION and not runner.rolled_back:
                    await driver.execute("ROLLBACK")
            except BaseException:
                await self._discard(held)
                raise
            await self._checkin(held)
            return
        await self._discard(held)
        nothing_took_effect = mode is Mode.READ or (mode is Mode.TRANSACTION and runner.sent == 0)
        if lost and retry and nothing_took_effect:
            raise _Retry from error

    async def _checkout(self) -> PoolProxiedConnection:
        while self._idle:
            held = self._idle.pop()
            if not held.driver_connection.is_closed():  # type: ignore[union-attr]
                return held
            await self._discard(held)
        return await self._engine.raw_connection()

    async def _checkin(self, held: PoolProxiedConnection) -> None:
        driver: Any = held.driver_connection
        if driver.is_closed() or driver.is_in_transaction():
            await self._discard(held)
        elif len(self._idle) < self._keep:
            self._idle.append(held)
        else:
            await greenlet_spawn(held.close)  # back to SQLAlchemy's pool

    async def _discard(self, held: PoolProxiedConnection) -> None:
        """Close the connection for good and tell SQLAlchemy's pool it is gone."""
        driver: Any = held.driver_connection
        if driver is not None and not driver.is_closed():
            driver.terminate()
        await greenlet_spawn(held.invalidate)

    async def aclose(self) -> None:
        idle, self._idle = self._idle, []
        for held in idle:
            await greenlet_spawn(held.close)


class _Retry(Exception):
    """The connection died before anything of the operation took effect."""
