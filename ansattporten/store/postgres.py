"""The store on PostgreSQL: asyncpg connections kept by the store itself.

Round trips are the cost here, so the store counts them. A pool that checks a
connection out per operation and pings it first (BEGIN, an empty query and ROLLBACK on
asyncpg) cost more CPU than the statement itself; so this keeps up to `KEEP` idle
connections and reuses them as they are. Between uses a connection needs no reset:
an operation either ends its transaction or never starts one, and a connection left
inside a transaction, or that failed in any way other than a clean SQL error, is
thrown away rather than reused. At most `LIMIT` are open at once; beyond that an
operation waits for one (at most `WAIT_SECONDS`).

Instead of a ping, a connection that died while idle is noticed for free: asyncpg sees
the server's end of the socket close and `is_closed()` turns true, and it is replaced
before use. A connection that dies under a statement is thrown away, and the operation
is tried again on a fresh one only when no statement of it can have taken effect: a
read, or a transaction whose BEGIN failed.

JSON columns travel as text: the store encodes and decodes them with msgspec itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg

from ansattporten.store.outage import Outage
from ansattporten.store.sql import Mode, Row, Sql, StatementCounter

T = TypeVar("T")

LIMIT = 30
"""Connections open at once, at most, per process."""
KEEP = LIMIT
"""Idle connections kept between operations: every one opened. With 8 kept, 16
concurrent logins opened 0.52 new connections per login (`python -m bench dbcost
--database postgres --concurrency 16`), and a new connection costs PostgreSQL about
10 ms of CPU, more than all the statements of a login; an idle one costs only memory,
and `LIMIT` bounds how many there can be (docs/capacity.md: connections per instance)."""
WAIT_SECONDS = 30.0
STATEMENT_SECONDS = 10.0
"""By default, the longest a statement may run (and a connection take to open): the
server cancels it (`statement_timeout`), and should the server itself hang (stopped, a
network that drops packets), asyncpg gives up waiting a second later (`command_timeout`)
and the connection is thrown away. Every statement here takes milliseconds; a request
never waits on a hung database much longer than this (about twice for a read, which is
tried again on a fresh connection)."""
CONNECTION_LOST = (
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.InterfaceError,
    OSError,  # ConnectionError and socket timeouts included
)


def asyncpg_dsn(database_url: str) -> str:
    """`postgresql+asyncpg://...` (the form migrations use) as a plain libpq URL."""
    scheme, rest = database_url.split("://", 1)
    return f"postgresql://{rest}" if scheme.startswith("postgres") else database_url


class PostgresConnection:
    """The statements of one operation, on one asyncpg connection."""

    __slots__ = ("_counter", "_driver")

    def __init__(self, driver: asyncpg.Connection, mode: Mode) -> None:
        self._driver = driver
        self._counter = StatementCounter(mode)

    @property
    def sent(self) -> int:
        return self._counter.sent

    async def rows(self, sql: Sql, *args: Any) -> list[Row]:
        self._counter.count()
        rows: list[Row] = await self._driver.fetch(sql.postgres, *args)
        return rows

    async def row(self, sql: Sql, *args: Any) -> Row | None:
        self._counter.count()
        row: Row | None = await self._driver.fetchrow(sql.postgres, *args)
        return row

    async def changed(self, sql: Sql, *args: Any) -> int:
        self._counter.count()
        status: str = await self._driver.execute(sql.postgres, *args)
        count = status.rsplit(" ", 1)[-1]
        return int(count) if count.isdigit() else -1


class PostgresDatabase:
    def __init__(
        self,
        database_url: str,
        *,
        keep: int = KEEP,
        limit: int = LIMIT,
        timeout: float = STATEMENT_SECONDS,
    ) -> None:
        self._dsn = asyncpg_dsn(database_url)
        self._timeout = timeout
        self._keep = keep
        self._limit = limit
        self._idle: list[asyncpg.Connection] = []
        self._slots: asyncio.Semaphore | None = None
        self.open_connections = 0
        self.outage = Outage()

    async def run(
        self, operation: Callable[..., Awaitable[T]], *args: Any, mode: Mode = Mode.TRANSACTION
    ) -> T:
        """`operation(connection, *args)` in `mode`; tried a second time only when the
        first connection died before anything of it could take effect."""
        try:
            result = await self._run_on(await self._checkout(), operation, args, mode, retry=True)
        except _Retry:
            result = await self._run_on(await self._checkout(), operation, args, mode, retry=False)
        self.outage.ended()
        return result

    async def _run_on(
        self,
        driver: asyncpg.Connection,
        operation: Callable[..., Awaitable[T]],
        args: tuple[Any, ...],
        mode: Mode,
        *,
        retry: bool,
    ) -> T:
        connection = PostgresConnection(driver, mode)
        try:
            if mode is Mode.TRANSACTION:
                await driver.execute("BEGIN")
            result = await operation(connection, *args)
            if mode is Mode.TRANSACTION:
                await driver.execute("COMMIT")
        except BaseException as error:
            await self._after_error(driver, connection, mode, error, retry)
            raise
        await self._checkin(driver)
        return result

    async def _after_error(
        self,
        driver: asyncpg.Connection,
        connection: PostgresConnection,
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
        lost = driver.is_closed() or isinstance(error, CONNECTION_LOST)
        if isinstance(error, asyncpg.PostgresError) and not lost:
            try:
                if driver.is_in_transaction():
                    await driver.execute("ROLLBACK")
            except BaseException:
                self._discard(driver)
                raise
            await self._checkin(driver)
            return
        self._discard(driver)
        nothing_took_effect = mode is Mode.READ or (
            mode is Mode.TRANSACTION and connection.sent == 0
        )
        if lost and retry and nothing_took_effect:
            raise _Retry from error

    async def _checkout(self) -> asyncpg.Connection:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._limit)
        if self._slots.locked():  # all in use: wait, but not for ever
            async with asyncio.timeout(WAIT_SECONDS):
                await self._slots.acquire()
        else:
            await self._slots.acquire()
        try:
            while self._idle:
                driver = self._idle.pop()
                if not driver.is_closed():
                    return driver
                self.open_connections -= 1
            driver = await asyncpg.connect(
                self._dsn,
                timeout=self._timeout,
                command_timeout=self._timeout + 1,
                server_settings={"statement_timeout": str(int(self._timeout * 1000))},
            )
            self.open_connections += 1
            return driver
        except BaseException:
            self._slots.release()
            raise

    async def _checkin(self, driver: asyncpg.Connection) -> None:
        assert self._slots is not None
        if driver.is_closed() or driver.is_in_transaction():
            self._discard(driver)
            return
        self._slots.release()
        if len(self._idle) < self._keep:
            self._idle.append(driver)
            return
        self.open_connections -= 1
        await driver.close()

    def _discard(self, driver: asyncpg.Connection) -> None:
        """Close the connection for good, without waiting for the server."""
        assert self._slots is not None
        self._slots.release()
        self.open_connections -= 1
        if not driver.is_closed():
            driver.terminate()

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for driver in idle:
            self.open_connections -= 1
            await driver.close()


class _Retry(Exception):
    """The connection died before anything of the operation took effect."""
