"""The repository: intention-revealing methods over the tables, one transaction each.

Callers never see a session. Methods that must be atomic under concurrency (consuming a
code or a pushed request) use a conditional UPDATE whose row count decides the winner,
which behaves the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, case, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from ansattporten.store.database import make_engine, make_sessionmaker
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

CLIENTS = cast(Table, Client.__table__)
PUSHED = cast(Table, PushedRequest.__table__)
INTERACTIONS = cast(Table, Interaction.__table__)
GRANTS = cast(Table, Grant.__table__)
CODES = cast(Table, AuthorizationCode.__table__)
REFRESH_TOKENS = cast(Table, RefreshToken.__table__)
RATE_COUNTERS = cast(Table, RateCounter.__table__)
AUDIT = cast(Table, AuditRecord.__table__)
"""The tables, for Core statements on the hot path."""
CLIENT_CACHE_SECONDS = 5.0


def _values(row: Any) -> dict[str, Any]:
    """An ORM object's column values, for a Core INSERT (no session, no unit of work)."""
    table = cast(Table, row.__table__)
    return {column.key: getattr(row, column.key) for column in table.columns}


class Store:
    """Hot-path methods use SQLAlchemy Core on a plain connection: one round trip each,
    without the ORM session's identity map and flush, which cost more than the query on
    SQLite. Rarely used methods keep the ORM session for brevity."""

    def __init__(self, database_url: str) -> None:
        self.engine: AsyncEngine = make_engine(database_url)
        self._sessions = make_sessionmaker(self.engine)
        self._clients: dict[str, tuple[float, Client | None]] = {}

    async def aclose(self) -> None:
        await self.engine.dispose()

    async def ping(self) -> None:
        async with self._sessions() as session:
            await session.execute(select(1))

    # clients -------------------------------------------------------------------------

    async def upsert_client(self, client: Client) -> None:
        self._clients.pop(client.client_id, None)
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
        async with self.engine.connect() as connection:
            row = (
                await connection.execute(select(CLIENTS).where(CLIENTS.c.client_id == client_id))
            ).first()
        return None if row is None else Client(**row._mapping)

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
        async with self.engine.begin() as connection:
            await connection.execute(insert(PUSHED), _values(pushed))

    async def consume_pushed_request(
        self, request_uri: str, client_id: str, now: float
    ) -> PushedRequest | None:
        """Single use: only the first caller gets the request; expired ones never."""
        table = PUSHED
        async with self.engine.begin() as connection:
            row = (
                await connection.execute(
                    update(table)
                    .where(
                        table.c.request_uri == request_uri,
                        table.c.client_id == client_id,
                        table.c.used.is_(False),
                        table.c.expires_at > now,
                    )
                    .values(used=True)
                    .returning(*table.c)
                )
            ).first()
        return None if row is None else PushedRequest(**row._mapping)

    # login transactions --------------------------------------------------------------

    async def save_interaction(self, interaction: Interaction) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(insert(INTERACTIONS), _values(interaction))

    async def get_interaction(self, interaction_id: str) -> Interaction | None:
        table = INTERACTIONS
        async with self.engine.connect() as connection:
            row = (
                await connection.execute(select(table).where(table.c.id == interaction_id))
            ).first()
        return None if row is None else Interaction(**row._mapping)

    async def advance_interaction(
        self, interaction_id: str, from_stage: str, **values: Any
    ) -> bool:
        """Move a login on only if it is still at `from_stage`: a double-submitted form
        or a replayed request finds the stage changed and does nothing."""
        table = INTERACTIONS
        async with self.engine.begin() as connection:
            result = await connection.execute(
                update(table)
                .where(table.c.id == interaction_id, table.c.stage == from_stage)
                .values(**values)
            )
            return result.rowcount == 1

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
        the code and the audit record are written together or not at all."""
        table = INTERACTIONS
        async with self.engine.begin() as connection:
            result = await connection.execute(
                update(table)
                .where(table.c.id == interaction_id, table.c.stage == from_stage)
                .values(stage="done")
            )
            if result.rowcount != 1:
                await connection.rollback()
                return False
            await connection.execute(insert(GRANTS), _values(grant))
            await connection.execute(insert(CODES), _values(code))
            if audit is not None:
                values = _values(audit)
                values.pop("id", None)
                await connection.execute(insert(AUDIT), values)
            return True

    async def save_audit(self, audit: AuditRecord) -> None:
        async with self._sessions.begin() as session:
            session.add(audit)

    # codes and grants ----------------------------------------------------------------

    async def consume_code(self, code_hash: str, now: float) -> AuthorizationCode | None:
        """Exactly one redemption wins, however many arrive at once. A losing or late
        redemption of a real code revokes its grant (RFC 9700 §4.5: a reused code means
        the code leaked)."""
        codes = CODES
        async with self.engine.begin() as connection:
            won = (
                await connection.execute(
                    update(codes)
                    .where(
                        codes.c.code_hash == code_hash,
                        codes.c.consumed_at.is_(None),
                        codes.c.expires_at > now,
                    )
                    .values(consumed_at=now)
                    .returning(*codes.c)
                )
            ).first()
            if won is not None:
                return AuthorizationCode(**won._mapping)
            lost = (
                await connection.execute(
                    select(codes.c.grant_id, codes.c.consumed_at).where(
                        codes.c.code_hash == code_hash
                    )
                )
            ).first()
            if lost is not None and lost.consumed_at is not None:
                grants = GRANTS
                await connection.execute(
                    update(grants)
                    .where(grants.c.id == lost.grant_id, grants.c.revoked_at.is_(None))
                    .values(revoked_at=now)
                )
            return None

    async def grant_is_active(self, grant_id: str, now: float) -> bool:
        grants = GRANTS
        async with self.engine.connect() as connection:
            found = (
                await connection.execute(
                    select(grants.c.id).where(
                        grants.c.id == grant_id,
                        grants.c.revoked_at.is_(None),
                        grants.c.expires_at > now,
                    )
                )
            ).first()
        return found is not None

    async def revoke_grant(self, grant_id: str, now: float) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(Grant)
                .where(Grant.id == grant_id, Grant.revoked_at.is_(None))
                .values(revoked_at=now)
            )

    async def get_grant(self, grant_id: str) -> Grant | None:
        async with self._sessions() as session:
            return await session.get(Grant, grant_id)

    # refresh tokens --------------------------------------------------------------------

    async def save_refresh_token(self, token: RefreshToken) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(insert(REFRESH_TOKENS), _values(token))

    async def rotate_refresh_token(
        self, token_hash: str, client_id: str, successor: RefreshToken, now: float
    ) -> Grant | None:
        """Trade a refresh token for its successor, once. Presenting a token that was
        already traded revokes the whole grant (RFC 9700 4.14.2: it was stolen)."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(RefreshToken)
                .where(
                    RefreshToken.token_hash == token_hash,
                    RefreshToken.client_id == client_id,
                    RefreshToken.used_at.is_(None),
                    RefreshToken.expires_at > now,
                )
                .values(used_at=now)
            )
            row = await session.get(RefreshToken, token_hash)
            if getattr(result, "rowcount", 0) != 1:
                if row is not None and row.used_at is not None and row.client_id == client_id:
                    await session.execute(
                        update(Grant)
                        .where(Grant.id == row.grant_id, Grant.revoked_at.is_(None))
                        .values(revoked_at=now)
                    )
                return None
            assert row is not None
            grant = await session.get(Grant, row.grant_id)
            if grant is None or grant.revoked_at is not None or grant.expires_at <= now:
                return None
            successor.grant_id = grant.id
            session.add(successor)
            return grant

    async def find_refresh_token(self, token_hash: str) -> RefreshToken | None:
        async with self._sessions() as session:
            return await session.get(RefreshToken, token_hash)

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
        counters = RATE_COUNTERS
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert_into
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert_into  # type: ignore[assignment]
        upsert = upsert_into(counters).values(key=key, window=window, count=hits)
        statement = upsert.on_conflict_do_update(
            index_elements=[counters.c.key],
            set_={
                "count": case((counters.c.window == window, counters.c.count + hits), else_=hits),
                "window": window,
            },
        ).returning(counters.c.count)
        async with self.engine.begin() as connection:
            return int((await connection.execute(statement)).scalar_one())

    # audit -----------------------------------------------------------------------------

    async def list_audit(self, limit: int = 50) -> Sequence[AuditRecord]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit)
            )
            return rows.all()

    # housekeeping ----------------------------------------------------------------------

    async def purge_expired(self, now: float) -> None:
        """Drop logins, pushed requests and codes nobody can use any more."""
        async with self._sessions.begin() as session:
            await session.execute(delete(Interaction).where(Interaction.expires_at < now))
            await session.execute(delete(PushedRequest).where(PushedRequest.expires_at < now))
            await session.execute(
                delete(AuthorizationCode).where(AuthorizationCode.expires_at < now - 3600)
            )
