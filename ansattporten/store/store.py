"""The store: named operations that take and return the typed records.

Every method is one operation on the database (`sqlite` or `postgres`): plain SQL from
`statements`, run on the driver, in the mode it needs (`sql.Mode`). Operations that
must be atomic under concurrency (consuming a code or a pushed request, moving a login
on) are conditional UPDATEs whose row count decides the winner, the same on SQLite and
PostgreSQL. Callers never see a row, a session or a statement.
"""

from __future__ import annotations

import time
from typing import Any

from ansattporten.records import (
    AuditRecord,
    AuthorizationRequest,
    Client,
    Code,
    DetailTypes,
    FailurePage,
    Grant,
    Login,
    Offer,
    PushedRequest,
    RefreshToken,
    SigningKey,
    Stage,
    UpstreamLeg,
)
from ansattporten.store import statements as sql
from ansattporten.store.housekeeping_operations import HousekeepingOperations
from ansattporten.store.outage import is_outage
from ansattporten.store.postgres import STATEMENT_SECONDS, PostgresDatabase
from ansattporten.store.rows import RowCodec
from ansattporten.store.session_operations import SessionOperations
from ansattporten.store.sql import Connection, Mode, Sql
from ansattporten.store.sql import change_rows as _changed
from ansattporten.store.sql import fetch_row as _row
from ansattporten.store.sql import fetch_rows as _rows
from ansattporten.store.sqlite import SqliteDatabase
from ansattporten.store.sqlite_file import sqlite_path

READ = Mode.READ
ONE = Mode.ONE_STATEMENT
"""A write that is one statement, atomic by itself (no BEGIN/COMMIT needed)."""
CLIENT_CACHE_SECONDS = 5.0


class Store(SessionOperations, HousekeepingOperations):
    def __init__(
        self,
        database_url: str,
        detail_types: DetailTypes | None = None,
        *,
        timeout: float = STATEMENT_SECONDS,
    ) -> None:
        """`database_url`: `sqlite:///path` or `postgresql://...` (any driver suffix).
        `detail_types`: the enabled sources' detail classes, by RAR type, so requested
        details come back as the class their source parsed them into. `timeout`: the
        longest a PostgreSQL statement may take (`database_timeout_seconds`)."""
        self.database: SqliteDatabase | PostgresDatabase = (
            SqliteDatabase(sqlite_path(database_url) or ":memory:")
            if database_url.startswith("sqlite")
            else PostgresDatabase(database_url, timeout=timeout)
        )
        self.on_postgres = isinstance(self.database, PostgresDatabase)
        self._rows = RowCodec(detail_types or {})
        self._clients: dict[str, tuple[float, Client | None]] = {}

    async def aclose(self) -> None:
        await self.database.close()

    def outage_began(self, error: BaseException) -> bool:
        """Whether `error`, raised by an operation, means the database is unavailable
        (`outage.is_outage`) rather than a bug; if so, the outage is logged (once, until
        a statement succeeds again)."""
        if not is_outage(error):
            return False
        self.database.outage.began(error)
        return True

    async def ping(self) -> None:
        async def ping(connection: Connection) -> None:
            await connection.row(sql.PING)

        await self.database.run(ping, mode=READ)

    async def schema_revision(self) -> str | None:
        """The Alembic revision the database's schema is at; None before the first
        migration."""
        has_table = sql.SCHEMA_TABLE["postgres" if self.on_postgres else "sqlite"]

        async def revision(connection: Connection) -> str | None:
            found = await connection.row(has_table)
            if found is None or found[0] is None:
                return None
            row = await connection.row(sql.SCHEMA_REVISION)
            return None if row is None else str(row[0])

        return await self.database.run(revision, mode=READ)

    # clients -------------------------------------------------------------------------

    async def upsert_client(self, client: Client) -> None:
        """Insert or update, in one statement: workers and instances starting together
        on an empty database all write the configured clients at once."""
        self._clients.pop(client.client_id, None)
        await self.database.run(
            _changed, sql.UPSERT_CLIENT, self._rows.client_args(client), mode=ONE
        )

    async def get_client(self, client_id: str) -> Client | None:
        """Clients are read on every request of a login but change only when settings or
        `ansattporten clients` change them, so each instance keeps them for a few
        seconds (`CLIENT_CACHE_SECONDS`); changes made here drop the copy at once."""
        cached = self._clients.get(client_id)
        if cached is not None and time.monotonic() - cached[0] < CLIENT_CACHE_SECONDS:
            return cached[1]
        row = await self.database.run(_row, sql.SELECT_CLIENT, (client_id,), mode=READ)
        client = None if row is None else self._rows.client(row)
        if len(self._clients) > 10_000:
            self._clients.clear()
        self._clients[client_id] = (time.monotonic(), client)
        return client

    async def list_clients(self) -> list[Client]:
        rows = await self.database.run(_rows, sql.ALL_CLIENTS, (), mode=READ)
        return [self._rows.client(row) for row in rows]

    async def remove_client(self, client_id: str) -> bool:
        self._clients.pop(client_id, None)
        return bool(await self.database.run(_changed, sql.DELETE_CLIENT, (client_id,), mode=ONE))

    # keys and shared secrets ---------------------------------------------------------

    async def signing_keys(self) -> list[SigningKey]:
        rows = await self.database.run(_rows, sql.ALL_KEYS, (), mode=READ)
        return [self._rows.keys.record(row) for row in rows]

    async def add_signing_key(self, key: SigningKey) -> None:
        await self.database.run(_changed, sql.INSERT_KEY, self._rows.keys.args(key), mode=ONE)

    async def add_signing_key_if_none_active(self, key: SigningKey, now: float) -> bool:
        """Add `key` only if no key of its algorithm is active at `now`; True when added.
        Workers or instances starting together on an empty database each try: one key
        is created, and every one of them signs with it and publishes the same JWKS. The
        check and the insert are one transaction, serialised by SQLite's write lock
        (BEGIN IMMEDIATE) or, on PostgreSQL, by an advisory lock held until it ends."""
        on_postgres = self.on_postgres
        args = self._rows.keys.args(key)

        async def add_first(connection: Connection) -> bool:
            if on_postgres:
                await connection.row(sql.KEYS_LOCK)
            if await connection.row(sql.ACTIVE_KEY_OF, key.alg, now) is not None:
                return False
            await connection.changed(sql.INSERT_KEY, *args)
            return True

        return await self.database.run(add_first)

    async def retire_signing_key(self, kid: str, retire_at: float) -> None:
        await self.database.run(_changed, sql.RETIRE_KEY, (kid, retire_at), mode=ONE)

    async def shared_secret(self, name: str, candidate: str) -> str:
        """The secret called `name`; `candidate` becomes it if none exists yet. Two
        instances starting together both end up with whichever was written first."""

        async def keep_first(connection: Connection) -> str:
            await connection.changed(sql.INSERT_SECRET, name, candidate)
            row = await connection.row(sql.SELECT_SECRET, name)
            assert row is not None
            return str(row[0])

        return await self.database.run(keep_first)

    # pushed authorization requests ---------------------------------------------------

    async def save_pushed_request(self, pushed: PushedRequest) -> None:
        await self.database.run(
            _changed, sql.INSERT_PUSHED, self._rows.pushed.args(pushed), mode=ONE
        )

    async def find_pushed_request(self, request_uri: str, client_id: str) -> PushedRequest | None:
        """A pushed request of `client_id`, used or not, expired or not."""
        row = await self.database.run(_row, sql.SELECT_PUSHED, (request_uri, client_id), mode=READ)
        return None if row is None else self._rows.pushed.record(row)

    async def start_login_from_pushed(
        self, request_uri: str, client_id: str, now: float, login: Login
    ) -> bool:
        """Use a pushed request once, and start the login it asks for, all or nothing:
        the request is marked used (naming `login`) and the login written, only if the
        request was unused, unexpired and `client_id`'s. A failure in between leaves the
        request unused. True when this call used it."""
        args = (request_uri, client_id, now, login.id)
        return await self._update_then_insert(
            sql.USE_PUSHED,
            sql.START_PUSHED_LOGIN,
            sql.INSERT_LOGIN,
            args,
            self._rows.logins.args(login),
        )

    # logins --------------------------------------------------------------------------

    async def start_login(self, login: Login) -> None:
        await self.database.run(_changed, sql.INSERT_LOGIN, self._rows.logins.args(login), mode=ONE)

    async def load_login(self, login_id: str) -> Login | None:
        row = await self.database.run(_row, sql.SELECT_LOGIN, (login_id,), mode=READ)
        return None if row is None else self._rows.logins.record(row)

    async def start_upstream_leg(self, login_id: str, leg: UpstreamLeg) -> bool:
        """The login is sent on to an upstream eID; a leg begun earlier (the person went
        back and chose again) is replaced, and its state no longer works. False when the
        login is no longer waiting for an eID."""
        args = (login_id, leg.state_hash, self._rows.json(leg))
        return await self.database.run(_changed, sql.UPSTREAM_STARTED, args, mode=ONE) == 1

    async def take_upstream_leg(self, login_id: str, state_hash: str) -> Login | None:
        """The upstream's answer arrived: the login with the leg whose state it carries,
        once. A replayed state, or one of a leg replaced since, finds nothing."""
        row = await self.database.run(_row, sql.UPSTREAM_TAKEN, (login_id, state_hash), mode=ONE)
        return None if row is None else self._rows.logins.record(row)

    async def record_offer(self, login_id: str, offer: Offer) -> bool:
        """What the registers answered, kept with a login at the picker."""
        args = (login_id, self._rows.json(offer))
        return await self.database.run(_changed, sql.OFFERED, args, mode=ONE) == 1

    async def fail_login(
        self,
        login_id: str,
        from_stage: Stage,
        failure: str,
        audit: AuditRecord | None = None,
        page: FailurePage | None = None,
    ) -> bool:
        """End a login without a code, once: the client will learn `failure` (an OAuth
        error code), the person was shown `page`. The audit record is written with it, or
        not at all."""
        audit_args = None if audit is None else self._rows.audits.args(audit)
        page_json = None if page is None else self._rows.json(page)

        async def fail(connection: Connection) -> bool:
            changed = await connection.changed(sql.FAILED, login_id, from_stage, failure, page_json)
            if changed != 1:
                return False
            if audit_args is not None:
                await connection.changed(sql.INSERT_AUDIT, *audit_args)
            return True

        return await self.database.run(fail, mode=ONE if audit is None else Mode.TRANSACTION)

    async def change_login_request(self, login_id: str, request: AuthorizationRequest) -> bool:
        """A login still in progress (or showing its failure) gets `request` in place of
        its own: the person switched language. False when the login has ended."""
        args = (login_id, self._rows.json(request))
        return await self.database.run(_changed, sql.RELANGUAGED, args, mode=ONE) == 1

    async def finish_login(
        self,
        login_id: str,
        from_stage: Stage,
        *,
        grant: Grant,
        code: Code,
        audit: AuditRecord | None,
        answer: str | None = None,
    ) -> bool:
        """The end of a login, all or nothing: the login is marked done and the grant, the
        code and the audit record are written, only if the login was still at
        `from_stage` (a form posted twice issues one code). True when this call did it.
        `answer`: the code, sealed for the browser (`Login.response`), kept with the
        login so a retried last step gets the same answer.

        On PostgreSQL as one statement (data-modifying CTEs, `statements.FINISH`): each
        INSERT reads its row `FROM done`, so nothing is inserted when the UPDATE matched
        nothing, and one statement is atomic without BEGIN/COMMIT: one round trip
        instead of six. SQLite (in-process, microseconds per statement) runs the same as
        a transaction."""
        finished: Finished = (
            login_id,
            from_stage,
            answer,
            self._rows.grants.args(grant),
            self._rows.codes.args(code),
            None if audit is None else self._rows.audits.args(audit),
        )
        if self.on_postgres:
            return await self.database.run(_finish_in_one_statement, finished, mode=ONE)
        return await self.database.run(_finish, finished)

    # codes and grants ----------------------------------------------------------------

    async def find_code(self, code_hash: str) -> Code | None:
        """A code as stored, redeemed or not (a redeemed code is kept `CODE_KEPT_SECONDS`
        past its end, so a late replay still finds it)."""
        row = await self.database.run(_row, sql.SELECT_CODE, (code_hash,), mode=READ)
        return None if row is None else self._rows.codes.record(row)

    async def redeem_code(
        self,
        code_hash: str,
        client_id: str,
        now: float,
        answer: str,
        refresh_token: RefreshToken | None,
    ) -> bool:
        """Redeem a code and store what it yields, all or nothing: the code is marked
        used with its sealed token response (`answer`), and the first refresh token is
        written, only if the code was unused, unexpired and `client_id`'s. A failure
        anywhere leaves the code unused and nothing written. Exactly one of many
        redemptions at once wins (the conditional UPDATE's row count). True when this
        call redeemed it.

        On PostgreSQL as one statement (`statements.REDEEM_CODE_WITH_REFRESH`); SQLite
        runs the same as a transaction."""
        args = (code_hash, client_id, now, answer)
        if refresh_token is None:
            return await self.database.run(_changed, sql.REDEEM_CODE, args, mode=ONE) == 1
        row = self._rows.refresh_tokens.args(refresh_token)
        return await self._update_then_insert(
            sql.REDEEM_CODE, sql.REDEEM_CODE_WITH_REFRESH, sql.INSERT_REFRESH, args, row
        )

    async def grant_is_active(self, grant_id: str, now: float) -> bool:
        return (
            await self.database.run(_row, sql.ACTIVE_GRANT, (grant_id, now), mode=READ) is not None
        )

    async def revoke_grant(self, grant_id: str, now: float) -> None:
        await self.database.run(_changed, sql.REVOKE_GRANT, (grant_id, now), mode=ONE)

    async def get_grant(self, grant_id: str) -> Grant | None:
        row = await self.database.run(_row, sql.SELECT_GRANT, (grant_id,), mode=READ)
        return None if row is None else self._rows.grant(row)

    # refresh tokens --------------------------------------------------------------------

    async def refresh_token_and_grant(
        self, token_hash: str
    ) -> tuple[RefreshToken, Grant | None] | None:
        """A refresh token as stored (used or not), with its grant (None if gone)."""
        row = await self.database.run(_row, sql.REFRESH_AND_GRANT, (token_hash,), mode=READ)
        if row is None:
            return None
        split = len(sql.REFRESH)
        token = self._rows.refresh_tokens.record(row[:split])
        grant_row = row[split:]
        return token, None if grant_row[0] is None else self._rows.grant(grant_row)

    async def trade_refresh_token(
        self, token_hash: str, client_id: str, now: float, answer: str, successor: RefreshToken
    ) -> bool:
        """Trade a refresh token for its successor, once, all or nothing: the token is
        marked used with its sealed token response (`answer`) and the successor written,
        only if the token was unused, unexpired, `client_id`'s and of a grant still
        active. True when this call traded it."""
        args = (token_hash, client_id, now, answer)
        row = self._rows.refresh_tokens.args(successor)
        return await self._update_then_insert(
            sql.TRADE_REFRESH, sql.TRADE_REFRESH_FOR_SUCCESSOR, sql.INSERT_REFRESH, args, row
        )

    async def find_refresh_token(self, token_hash: str) -> RefreshToken | None:
        row = await self.database.run(_row, sql.SELECT_REFRESH, (token_hash,), mode=READ)
        return None if row is None else self._rows.refresh_tokens.record(row)

    async def _update_then_insert(
        self,
        update: Sql,
        in_one_statement: Sql,
        insert: Sql,
        update_args: tuple[Any, ...],
        row: tuple[Any, ...],
    ) -> bool:
        """A conditional UPDATE and the row it makes true, atomically: one statement
        on PostgreSQL (`in_one_statement`), a transaction on SQLite."""
        if self.on_postgres:
            counted = await self.database.run(
                _row, in_one_statement, (*update_args, *row), mode=ONE
            )
            return counted is not None and counted[0] == 1
        return await self.database.run(_update_then_insert, update, insert, update_args, row)

    # replay protection and rate limits -------------------------------------------------

    async def remember_assertion(self, key: str, expires_at: float, now: float) -> bool:
        """True the first time a (client, jti) is seen; False for a replay."""

        async def remember(connection: Connection) -> bool:
            await connection.changed(sql.FORGET_ASSERTIONS, now)
            return await connection.changed(sql.REMEMBER_ASSERTION, key, expires_at) == 1

        return await self.database.run(remember)

    async def count_hits(self, key: str, window: int, hits: int = 1) -> int:
        """Add `hits` requests to `key` in the fixed window `window` and return the total
        so far; one statement, so concurrent instances never lose a hit."""
        row = await self.database.run(_row, sql.COUNT_HITS, (key, window, hits), mode=ONE)
        assert row is not None
        return int(row[0])


# operations used by several methods ---------------------------------------------------


async def _update_then_insert(
    connection: Connection,
    update: Sql,
    insert: Sql,
    update_args: tuple[Any, ...],
    row: tuple[Any, ...],
) -> bool:
    if await connection.changed(update, *update_args) != 1:
        return False
    await connection.changed(insert, *row)
    return True


Finished = tuple[str, str, str | None, tuple[Any, ...], tuple[Any, ...], tuple[Any, ...] | None]
"""The login, the stage it must be at, its sealed answer, and the grant's, code's and
audit record's columns."""


async def _finish(connection: Connection, finished: Finished) -> bool:
    login_id, from_stage, answer, grant, code, audit = finished
    if await connection.changed(sql.DONE, login_id, from_stage, answer) != 1:
        return False
    await connection.changed(sql.INSERT_GRANT, *grant)
    await connection.changed(sql.INSERT_CODE, *code)
    if audit is not None:
        await connection.changed(sql.INSERT_AUDIT, *audit)
    return True


async def _finish_in_one_statement(connection: Connection, finished: Finished) -> bool:
    login_id, from_stage, answer, grant, code, audit = finished
    head = (login_id, from_stage, answer)
    if audit is None:
        row = await connection.row(sql.FINISH, *head, *grant, *code)
    else:
        row = await connection.row(sql.FINISH_WITH_AUDIT, *head, *grant, *code, *audit)
    return row is not None and row[0] == 1
