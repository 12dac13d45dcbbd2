"""The hot-path statements on PostgreSQL, run on the asyncpg connection directly.

Why: through `AsyncConnection.run_sync`, each statement went through SQLAlchemy's
execution context, its asyncpg adapter and a cursor emulation: 150-300 us of Python
for a statement the server answers in a fraction of that. Here the same Core statements
from `operations`, compiled once for the asyncpg dialect, go straight to
`asyncpg.Connection.fetch`/`execute` (asyncpg keeps them prepared per connection).

The connection comes from SQLAlchemy's pool, so pooling, pre-ping and the JSON codecs
SQLAlchemy registers on each new connection are the same as everywhere else in the
store. `operations` are synchronous functions; they run in a greenlet
(`greenlet_spawn`), and each `execute` hands its coroutine to the event loop
(`await_only`), the mechanism SQLAlchemy's own asyncio support is built on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.util import await_only, greenlet_spawn

from ansattporten.store.prepared import Result, StatementCache

T = TypeVar("T")


class AsyncpgConnection:
    """A stand-in for SQLAlchemy's Connection over one asyncpg connection, inside one
    transaction (or none, for reads)."""

    def __init__(self, driver: Any, statements: StatementCache, transaction: Any) -> None:
        self._driver = driver
        self._statements = statements
        self._transaction = transaction
        self.dialect = statements.dialect
        self.rolled_back = False

    def execute(self, statement: ClauseElement, parameters: Mapping[str, Any]) -> Result:
        prepared = self._statements.get(statement, parameters)
        values = prepared.values(parameters)
        if prepared.columns:
            records = await_only(self._driver.fetch(prepared.sql, *values))
            return Result([prepared.row(record) for record in records], len(records))
        status: str = await_only(self._driver.execute(prepared.sql, *values))
        count = status.rsplit(" ", 1)[-1]
        return Result([], int(count) if count.isdigit() else -1)

    def rollback(self) -> None:
        if self._transaction is not None and not self.rolled_back:
            await_only(self._transaction.rollback())
            self.rolled_back = True


class AsyncpgRunner:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._statements = StatementCache(engine.dialect)

    async def run(self, operation: Callable[..., T], args: tuple[Any, ...], write: bool) -> T:
        async with self._engine.connect() as connection:
            adapted = await connection.get_raw_connection()
            driver: Any = adapted.driver_connection  # asyncpg.Connection
            transaction = driver.transaction() if write else None
            if transaction is not None:
                await transaction.start()
            runner = AsyncpgConnection(driver, self._statements, transaction)
            try:
                result: T = await greenlet_spawn(operation, runner, *args)
            except BaseException:
                if transaction is not None and not runner.rolled_back:
                    await transaction.rollback()
                raise
            if transaction is not None and not runner.rolled_back:
                await transaction.commit()
            return result
