"""The repository: intention-revealing methods over the tables, one transaction each.

Callers never see a session. Methods that must be atomic under concurrency (consuming a
code or a pushed request) use a conditional UPDATE whose row count decides the winner,
which behaves the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from ansattporten.store import operations as op
from ansattporten.store.asyncpg_runner import AsyncpgRunner, Mode
from ansattporten.store.database import (
    make_engine,
    make_inline_sqlite_engine,
    make_sessionmaker,
)
from ansattporten.store.finish_in_one_statement import finish_interaction_in_one_statement
from ansattporten.store.inline_sqlite import InlineSQLite
from ansattporten.store.models import (
    AuditRecord,
    AuthorizationCode,
    Client,
    Grant,
    InstanceSecret,
    Interaction,
    PushedRequest,
    RateCounter,
    RefreshToken,
    SeenAssertion,
    SigningKey,
)

T = TypeVar("T")
READ = Mode.READ
ONE = Mode.ONE_STATEMENT
"""A write that is one statement, atomic by itself (no BEGIN/COMMIT needed)."""
CLIENT_CACHE_SECONDS = 5.0


class Store:
    """Hot-path methods run one function of `operations` (SQLAlchemy Core, one
    transaction, no ORM session). Rarely used methods keep the ORM session for brevity."""

    def __init__(self, database_url: str) -> None:
        self.engine: AsyncEngine = make_engine(database_url)
        self._inline = make_inline_sqlite_engine(database_url)
        self._fast: InlineSQLite | None = None
        self._asyncpg = (
            AsyncpgRunner(self.engine) if self.engine.dialect.driver == "asyncpg" else None
        )
        self._sessions = make_sessionmaker(self.engine)
        self._clients: dict[str, tuple[float, Client | None]] = {}

    async def _run(
        self, operation: Callable[..., T], *args: Any, mode: Mode = Mode.TRANSACTION
    ) -> T:
        """One operation: inline on SQLite, straight on asyncpg for PostgreSQL (see
        `inline_sqlite` and `asyncpg_runner`), through SQLAlchemy for anything else.
        `mode` says whether it reads, writes in a transaction, or writes with a single
        statement (atomic by itself; on PostgreSQL that saves BEGIN and COMMIT)."""
        if self._inline is not None:
            fast = self._fast or self._open_fast()
            return await fast.run(operation, args, mode)
        if self._asyncpg is not None:
            return await self._asyncpg.run(operation, args, mode)
        write = mode is not Mode.READ
        async with self.engine.begin() if write else self.engine.connect() as connection:
            return await connection.run_sync(operation, *args)

    def _open_fast(self) -> InlineSQLite:
        assert self._inline is not None
        with self._inline.connect():  # the dialect learns the SQLite version (RETURNING)
            pass
        self._fast = InlineSQLite(str(self._inline.url.database), self._inline.dialect)
        return self._fast

    async def aclose(self) -> None:
        if self._fast is not None:
            self._fast.close()
            self._fast = None
        if self._inline is not None:
            self._inline.dispose()
        if self._asyncpg is not None:
            await self._asyncpg.aclose()
        await self.engine.dispose()

    async def ping(self) -> None:
        async with self._sessions() as session:
            await session.execute(select(1))

    # clients -------------------------------------------------------------------------

    async def upsert_client(self, client: Client) -> None:
        """Insert or update. Workers and instances starting together on an empty
        database all insert the configured clients at once; the ones that lose that
        race find the row on a second try and update it."""
        self._clients.pop(client.client_id, None)
        try:
            async with self._sessions.begin() as session:
                await session.merge(client)
        except IntegrityError:
            async with self._sessions.begin() as session:
                await session.merge(client)

    async def get_client(self, client_id: str) -> Client | None:
        """Clients are read on every request of a login but change only when settings or
        `ansattporten clients` change them, so each instance keeps them for a few
        seconds (`CLIENT_CACHE_SECONDS`); changes made here drop the copy at once."""
        cached = self._clients.get(client_id)
        if cached is not None and time.monotonic() - cached[0] < CLIENT_CACHE_SECONDS:
            return cached[1]
        client = await self._load_client(client_id)
        if len(self._clients) > 10_000:
            self._clients.clear()
        self._clients[client_id] = (time.monotonic(), client)
        return client

    async def _load_client(self, client_id: str) -> Client | None:
        return await self._run(op.load_client, client_id, mode=READ)

    async def list_clients(self) -> Sequence[Client]:
        async with self._sessions() as session:
            return (await session.scalars(select(Client).order_by(Client.client_id))).all()

    async def remove_client(self, client_id: str) -> bool:
        self._clients.pop(client_id, None)
        async with self._sessions.begin() as session:
            result = await session.execute(delete(Client).where(Client.client_id == client_id))
            return bool(getattr(result, "rowcount", 0))

    # keys and shared secrets ---------------------------------------------------------

    async def signing_keys(self) -> Sequence[SigningKey]:
        async with self._sessions() as session:
            rows = await session.scalars(select(SigningKey).order_by(SigningKey.created_at))
            return rows.all()

    async def add_signing_key(self, key: SigningKey) -> None:
        async with self._sessions.begin() as session:
            session.add(key)

    async def retire_signing_key(self, kid: str, retire_at: float) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(SigningKey).where(SigningKey.kid == kid).values(retire_at=retire_at)
            )

    async def shared_secret(self, name: str, candidate: str) -> str:
        """The secret called `name`; `candidate` becomes it if none exists yet. Two
        instances starting together both end up with whichever was written first."""
        async with self._sessions() as session:
            existing = await session.get(InstanceSecret, name)
            if existing is not None:
                return existing.value
        try:
            async with self._sessions.begin() as session:
                session.add(InstanceSecret(name=name, value=candidate))
            return candidate
        except IntegrityError:
            async with self._sessions() as session:
                row = await session.get(InstanceSecret, name)
                assert row is not None
                return row.value

    # pushed authorization requests ---------------------------------------------------

    async def save_pushed_request(self, pushed: PushedRequest) -> None:
        await self._run(op.insert_rows, pushed, mode=ONE)

    async def consume_pushed_request(
        self, request_uri: str, client_id: str, now: float
    ) -> PushedRequest | None:
        """Single use: only the first caller gets the request; expired ones never."""
        return await self._run(op.consume_pushed, request_uri, client_id, now, mode=ONE)

    # login transactions --------------------------------------------------------------

    async def save_interaction(self, interaction: Interaction) -> None:
        await self._run(op.insert_rows, interaction, mode=ONE)

    async def get_interaction(self, interaction_id: str) -> Interaction | None:
        return await self._run(op.load_interaction, interaction_id, mode=READ)

    async def advance_interaction(
        self, interaction_id: str, from_stage: str, **values: Any
    ) -> bool:
        """Move a login on only if it is still at `from_stage`: a double-submitted form
        or a replayed request finds the stage changed and does nothing."""
        return await self._run(op.advance_interaction, interaction_id, from_stage, values, mode=ONE)

    async def finish_interaction(
        self,
        interaction_id: str,
        from_stage: str,
        *,
        grant: Grant,
        code: AuthorizationCode,
        audit: AuditRecord | None,
    ) -> bool:
        """The end of a login in one transaction: the login is marked done, and the grant,
        the code and the audit record are written together or not at all. On PostgreSQL
        as one statement (`finish_in_one_statement`): one round trip instead of six."""
        rows: tuple[Any, ...] = (grant, code) if audit is None else (grant, code, audit)
        if self._asyncpg is not None:
            return await self._run(
                finish_interaction_in_one_statement, interaction_id, from_stage, rows, mode=ONE
            )
        return await self._run(op.finish_interaction, interaction_id, from_stage, rows)

    async def save_audit(self, audit: AuditRecord) -> None:
        async with self._sessions.begin() as session:
            session.add(audit)

    # codes and grants ----------------------------------------------------------------

    async def consume_code(self, code_hash: str, now: float) -> AuthorizationCode | None:
        """Exactly one redemption wins, however many arrive at once. A losing or late
        redemption of a real code revokes its grant (RFC 9700 4.5: a reused code means
        the code leaked)."""
        won = await self._run(op.claim_code, code_hash, now, mode=ONE)
        if won is None:
            await self._run(op.revoke_if_spent, code_hash, now)
        return won

    async def grant_is_active(self, grant_id: str, now: float) -> bool:
        return await self._run(op.grant_is_active, grant_id, now, mode=READ)

    async def revoke_grant(self, grant_id: str, now: float) -> None:
        await self._run(op.revoke_grant, grant_id, now, mode=ONE)

    async def get_grant(self, grant_id: str) -> Grant | None:
        return await self._run(op.load_grant, grant_id, mode=READ)

    # refresh tokens --------------------------------------------------------------------

    async def save_refresh_token(self, token: RefreshToken) -> None:
        await self._run(op.insert_rows, token, mode=ONE)

    async def rotate_refresh_token(
        self, token_hash: str, client_id: str, successor: RefreshToken, now: float
    ) -> Grant | None:
        """Trade a refresh token for its successor, once. Presenting a token that was
        already traded revokes the whole grant (RFC 9700 4.14.2: it was stolen)."""
        return await self._run(op.rotate_refresh_token, token_hash, client_id, successor, now)

    async def find_refresh_token(self, token_hash: str) -> RefreshToken | None:
        return await self._run(op.load_refresh_token, token_hash, mode=READ)

    # replay protection and rate limits -------------------------------------------------

    async def remember_assertion(self, key: str, expires_at: float, now: float) -> bool:
        """True the first time a (client, jti) is seen; False for a replay."""
        try:
            async with self._sessions.begin() as session:
                await session.execute(delete(SeenAssertion).where(SeenAssertion.expires_at < now))
                session.add(SeenAssertion(key=key, expires_at=expires_at))
            return True
        except IntegrityError:
            return False

    async def count_hits(self, key: str, window: int, hits: int = 1) -> int:
        """Add `hits` requests to `key` in the fixed window `window` and return the total
        so far; one statement, so concurrent instances never lose a hit."""
        return await self._run(op.count_hits, key, window, hits, mode=ONE)

    # audit -----------------------------------------------------------------------------

    async def list_audit(self, limit: int = 50) -> Sequence[AuditRecord]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit)
            )
            return rows.all()

    # housekeeping ----------------------------------------------------------------------

    async def purge_expired(self, now: float, *, rate_windows_before: int) -> dict[str, int]:
        """Drop what nobody can use any more: login transactions (they hold the person's
        number and the registers' answer), pushed requests, codes an hour after they
        expired (a late replay still finds its code and revokes the grant), grants and
        refresh tokens past their end, and rate counters of past windows. Audit records
        stay. One short transaction per table, so no writer waits long for the lock.
        Returns the rows deleted per table."""
        conditions: list[tuple[Any, Any]] = [
            (Interaction, Interaction.expires_at < now),
            (PushedRequest, PushedRequest.expires_at < now),
            (AuthorizationCode, AuthorizationCode.expires_at < now - 3600),
            (RefreshToken, RefreshToken.expires_at < now),
            (Grant, Grant.expires_at < now),
            (RateCounter, RateCounter.window < rate_windows_before),
        ]
        deleted: dict[str, int] = {}
        for model, condition in conditions:
            async with self._sessions.begin() as session:
                result = await session.execute(delete(model).where(condition))
            deleted[model.__tablename__] = int(getattr(result, "rowcount", 0) or 0)
        return deleted
