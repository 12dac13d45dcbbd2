"""Administrators' sessions, logins on their way through the provider, and the `jti`s
of API assertions already used. Browsers hold random values; the database holds only
their SHA-256, so a copy of the database opens no session.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import msgspec
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from employer_rules.store.models import AdminSessionRow, PendingLoginRow, UsedAssertionRow


class AdminOrganisation(msgspec.Struct, frozen=True, kw_only=True):
    """An organisation the administrator's token names."""

    orgno: str
    name: str
    unit_type: str = ""


class Administrator(msgspec.Struct, frozen=True, kw_only=True):
    """Who logged in, and the organisations they may administer (from the token)."""

    sub: str
    pid: str | None
    organisations: tuple[AdminOrganisation, ...]
    name: str | None = None

    @property
    def orgnos(self) -> frozenset[str]:
        return frozenset(organisation.orgno for organisation in self.organisations)


class AdminSession(msgspec.Struct, frozen=True, kw_only=True):
    administrator: Administrator
    csrf_token: str


class PendingLogin(msgspec.Struct, frozen=True, kw_only=True):
    state: str
    nonce: str
    code_verifier: str
    locale: str


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class SessionStore:
    def __init__(
        self,
        engine: AsyncEngine,
        *,
        idle: timedelta,
        longest: timedelta,
        login: timedelta,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._idle, self._longest, self._login = idle, longest, login
        self._clock = clock or (lambda: datetime.now(UTC))

    # logins on their way

    async def start_login(self, pending: PendingLogin) -> str:
        """Remember the login; returns the value for the browser's login cookie."""
        value = secrets.token_urlsafe(32)
        async with self._sessions.begin() as session:
            session.add(
                PendingLoginRow(
                    id_hash=digest(value),
                    state=pending.state,
                    nonce=pending.nonce,
                    code_verifier=pending.code_verifier,
                    locale=pending.locale,
                    expires_at=self._clock() + self._login,
                )
            )
        return value

    async def take_login(self, cookie: str) -> PendingLogin | None:
        """The browser's login, forgotten as it is read: a callback counts once."""
        async with self._sessions.begin() as session:
            row = await session.get(PendingLoginRow, digest(cookie))
            if row is None:
                return None
            taken = await session.execute(
                delete(PendingLoginRow).where(PendingLoginRow.id_hash == row.id_hash)
            )
            if getattr(taken, "rowcount", 0) != 1 or row.expires_at <= self._clock():
                return None
            return PendingLogin(
                state=row.state,
                nonce=row.nonce,
                code_verifier=row.code_verifier,
                locale=row.locale,
            )

    # sessions

    async def open_session(self, administrator: Administrator) -> str:
        """A new session (never a reused one); returns the value for the cookie."""
        value = secrets.token_urlsafe(32)
        now = self._clock()
        async with self._sessions.begin() as session:
            session.add(
                AdminSessionRow(
                    id_hash=digest(value),
                    sub=administrator.sub,
                    pid=administrator.pid,
                    name=administrator.name,
                    organisations=[msgspec.to_builtins(o) for o in administrator.organisations],
                    csrf_token=secrets.token_urlsafe(32),
                    created_at=now,
                    last_seen_at=now,
                    expires_at=min(now + self._idle, now + self._longest),
                )
            )
        return value

    async def session(self, cookie: str) -> AdminSession | None:
        """The live session the cookie names, its idle deadline pushed on (never past
        the latest end `session_max_seconds` after the login)."""
        now = self._clock()
        async with self._sessions.begin() as session:
            row = await session.get(AdminSessionRow, digest(cookie))
            if row is None or row.expires_at <= now:
                return None
            if now - row.last_seen_at > timedelta(seconds=30):
                await session.execute(
                    update(AdminSessionRow)
                    .where(AdminSessionRow.id_hash == row.id_hash)
                    .values(
                        last_seen_at=now,
                        expires_at=min(now + self._idle, row.created_at + self._longest),
                    )
                )
            return AdminSession(
                administrator=Administrator(
                    sub=row.sub,
                    pid=row.pid,
                    name=row.name,
                    organisations=tuple(
                        msgspec.convert(o, AdminOrganisation) for o in row.organisations
                    ),
                ),
                csrf_token=row.csrf_token,
            )

    async def end_session(self, cookie: str) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                delete(AdminSessionRow).where(AdminSessionRow.id_hash == digest(cookie))
            )

    # API assertions

    async def use_assertion(self, issuer: str, jti: str, expires_at: datetime) -> bool:
        """Remember an assertion's `jti`; False when it was used before (a replay)."""
        try:
            async with self._sessions.begin() as session:
                session.add(
                    UsedAssertionRow(key_hash=digest(f"{issuer}\n{jti}"), expires_at=expires_at)
                )
        except IntegrityError:
            return False
        return True

    # housekeeping

    async def purge(self) -> None:
        """Delete what has expired; each table in its own short transaction."""
        now = self._clock()
        for table in (AdminSessionRow, PendingLoginRow, UsedAssertionRow):
            async with self._sessions.begin() as session:
                await session.execute(delete(table).where(table.expires_at <= now))
