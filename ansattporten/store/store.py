"""The repository: intention-revealing methods over the tables, one transaction each.

Callers never see a session. Methods that must be atomic under concurrency (consuming a
code or a pushed request) use a conditional UPDATE whose row count decides the winner,
which behaves the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, delete, select, update
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


class Store:
    def __init__(self, database_url: str) -> None:
        self.engine: AsyncEngine = make_engine(database_url)
        self._sessions = make_sessionmaker(self.engine)

    async def aclose(self) -> None:
        await self.engine.dispose()

    async def ping(self) -> None:
        async with self._sessions() as session:
            await session.execute(select(1))

    # clients -------------------------------------------------------------------------

    async def upsert_client(self, client: Client) -> None:
        async with self._sessions.begin() as session:
            await session.merge(client)

    async def get_client(self, client_id: str) -> Client | None:
        async with self._sessions() as session:
            return await session.get(Client, client_id)

    async def list_clients(self) -> Sequence[Client]:
        async with self._sessions() as session:
            return (await session.scalars(select(Client).order_by(Client.client_id))).all()

    async def remove_client(self, client_id: str) -> bool:
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
        async with self._sessions.begin() as session:
            session.add(pushed)

    async def consume_pushed_request(
        self, request_uri: str, client_id: str, now: float
    ) -> PushedRequest | None:
        """Single use: only the first caller gets the request; expired ones never."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(PushedRequest)
                .where(
                    PushedRequest.request_uri == request_uri,
                    PushedRequest.client_id == client_id,
                    PushedRequest.used.is_(False),
                    PushedRequest.expires_at > now,
                )
                .values(used=True)
            )
            if getattr(result, "rowcount", 0) != 1:
                return None
            return await session.get(PushedRequest, request_uri)

    # login transactions --------------------------------------------------------------

    async def save_interaction(self, interaction: Interaction) -> None:
        async with self._sessions.begin() as session:
            session.add(interaction)

    async def get_interaction(self, interaction_id: str) -> Interaction | None:
        async with self._sessions() as session:
            return await session.get(Interaction, interaction_id)

    async def advance_interaction(
        self, interaction_id: str, from_stage: str, **values: Any
    ) -> bool:
        """Move a login on only if it is still at `from_stage`: a double-submitted form
        or a replayed request finds the stage changed and does nothing."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(Interaction)
                .where(Interaction.id == interaction_id, Interaction.stage == from_stage)
                .values(**values)
            )
            return getattr(result, "rowcount", 0) == 1

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
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(Interaction)
                .where(Interaction.id == interaction_id, Interaction.stage == from_stage)
                .values(stage="done")
            )
            if getattr(result, "rowcount", 0) != 1:
                await session.rollback()
                return False
            session.add_all([grant, code])
            if audit is not None:
                session.add(audit)
            return True

    async def save_audit(self, audit: AuditRecord) -> None:
        async with self._sessions.begin() as session:
            session.add(audit)

    # codes and grants ----------------------------------------------------------------

    async def consume_code(self, code_hash: str, now: float) -> AuthorizationCode | None:
        """Exactly one redemption wins, however many arrive at once. A losing or late
        redemption of a real code revokes its grant (RFC 9700 §4.5: a reused code means
        the code leaked)."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(AuthorizationCode)
                .where(
                    AuthorizationCode.code_hash == code_hash,
                    AuthorizationCode.consumed_at.is_(None),
                    AuthorizationCode.expires_at > now,
                )
                .values(consumed_at=now)
            )
            row = await session.get(AuthorizationCode, code_hash)
            if getattr(result, "rowcount", 0) == 1:
                return row
            if row is not None and row.consumed_at is not None:
                await session.execute(
                    update(Grant)
                    .where(Grant.id == row.grant_id, Grant.revoked_at.is_(None))
                    .values(revoked_at=now)
                )
            return None

    async def grant_is_active(self, grant_id: str, now: float) -> bool:
        async with self._sessions() as session:
            grant = await session.get(Grant, grant_id)
            return grant is not None and grant.revoked_at is None and grant.expires_at > now

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
        async with self._sessions.begin() as session:
            session.add(token)

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

    async def count_hit(self, key: str, window: int) -> int:
        """Count one request against `key` in the fixed window `window` and return the
        count so far; one statement, so concurrent instances never lose a hit."""
        dialect = self.engine.dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        upsert = insert(RateCounter).values(key=key, window=window, count=1)
        statement = upsert.on_conflict_do_update(
            index_elements=[RateCounter.key],
            set_={
                "count": case((RateCounter.window == window, RateCounter.count + 1), else_=1),
                "window": window,
            },
        ).returning(RateCounter.count)
        async with self._sessions.begin() as session:
            return int((await session.execute(statement)).scalar_one())

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
