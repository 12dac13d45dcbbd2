"""The store's operations on isolated sessions and the back-channel logout queue: a part
of `Store` kept in its own file (the class is `Store`'s base)."""

from __future__ import annotations

import msgspec

from ansattporten.records import (
    Authentication,
    BrowserSession,
    ClientSession,
    LiveSession,
    LogoutDelivery,
    SessionOpening,
)
from ansattporten.store import statements as sql
from ansattporten.store.postgres import PostgresDatabase
from ansattporten.store.rows import RowCodec
from ansattporten.store.sql import Connection, Mode
from ansattporten.store.sql import change_rows as _changed
from ansattporten.store.sql import fetch_row as _row
from ansattporten.store.sql import fetch_rows as _rows
from ansattporten.store.sqlite import SqliteDatabase

READ = Mode.READ
ONE = Mode.ONE_STATEMENT


class SessionOperations:
    database: SqliteDatabase | PostgresDatabase
    on_postgres: bool
    _rows: RowCodec

    # finding and continuing a session ------------------------------------------------

    async def find_live_session(
        self, cookie_hash: str, client_id: str, now: float, idle_since: float
    ) -> LiveSession | None:
        """The browser session this cookie names, if it has not reached its end nor been
        idle since `idle_since`, with `client_id`'s session in it (None when the service
        has none: another service's session is never this one's)."""
        rows = self._rows

        async def find(connection: Connection) -> LiveSession | None:
            row = await connection.row(sql.LIVE_BROWSER_SESSION, cookie_hash, now, idle_since)
            if row is None:
                return None
            browser = rows.browser_sessions.record(row)
            own = await connection.row(sql.CLIENT_SESSION_OF, browser.id, client_id)
            client = None if own is None else rows.client_sessions.record(own)
            return LiveSession(browser=browser, client=client)

        return await self.database.run(find, mode=READ)

    async def touch_session(
        self, browser_session_id: str, sid: str, now: float, idle_since: float
    ) -> bool:
        """A silent login: the browser session's idle timer starts again, if the browser
        session is still alive and the client session `sid` still in it."""
        args = (browser_session_id, sid, now, idle_since)
        return await self.database.run(_changed, sql.TOUCH_BROWSER_SESSION, args, mode=ONE) == 1

    # authentication --------------------------------------------------------------------

    async def record_authentication(
        self, login_id: str, authentication: Authentication, opening: SessionOpening
    ) -> bool:
        """The person logged in: the login moves from "login" to "choose", once, and the
        browser's session is opened or continued under a new cookie value with this
        service's session in it, in one transaction. A double-submitted form or a
        replayed request finds the stage moved on: False, and nothing is written."""
        rows = self._rows
        login_args = (login_id, rows.json(authentication), opening.client.sid)

        async def authenticated(connection: Connection) -> bool:
            if await connection.changed(sql.AUTHENTICATED, *login_args) != 1:
                return False
            browser = await _open_browser_session(connection, rows, opening)
            client = msgspec.structs.replace(
                opening.client, browser_session_id=browser.id, expires_at=browser.expires_at
            )
            await connection.changed(sql.SUPERSEDE_CLIENT_SESSION, browser.id, client.client_id)
            await connection.changed(sql.INSERT_CLIENT_SESSION, *rows.client_sessions.args(client))
            return True

        return await self.database.run(authenticated)

    # logout ----------------------------------------------------------------------------

    async def browser_session_by_cookie(self, cookie_hash: str) -> BrowserSession | None:
        """The browser session this cookie names, whatever its timers say."""
        row = await self.database.run(
            _row, sql.BROWSER_SESSION_BY_COOKIE, (cookie_hash,), mode=READ
        )
        return None if row is None else self._rows.browser_sessions.record(row)

    async def client_session(self, sid: str) -> ClientSession | None:
        row = await self.database.run(_row, sql.SELECT_CLIENT_SESSION, (sid,), mode=READ)
        return None if row is None else self._rows.client_sessions.record(row)

    async def client_sessions_of(self, browser_session_id: str) -> list[ClientSession]:
        found = await self.database.run(
            _rows, sql.CLIENT_SESSIONS_OF, (browser_session_id,), mode=READ
        )
        return [self._rows.client_sessions.record(row) for row in found]

    async def end_client_session(
        self, sid: str, delivery: LogoutDelivery | None
    ) -> ClientSession | None:
        """End one client session, and queue its back-channel logout request with it (in
        one transaction). Only the caller that ended it gets it back and queues the
        request: two logouts at once send one."""
        rows = self._rows
        delivery_args = None if delivery is None else rows.deliveries.args(delivery)

        async def end(connection: Connection) -> ClientSession | None:
            row = await connection.row(sql.END_CLIENT_SESSION, sid)
            if row is None:
                return None
            if delivery_args is not None:
                await connection.changed(sql.INSERT_DELIVERY, *delivery_args)
            return rows.client_sessions.record(row)

        return await self.database.run(end, mode=ONE if delivery is None else Mode.TRANSACTION)

    async def drop_browser_session_if_empty(self, browser_session_id: str) -> bool:
        """The browser session ends when its last client session has ended."""
        args = (browser_session_id,)
        return (
            await self.database.run(_changed, sql.DROP_EMPTY_BROWSER_SESSION, args, mode=ONE) == 1
        )

    # back-channel logout deliveries ------------------------------------------------------

    async def claim_deliveries(
        self, claim: str, now: float, claimed_until: float, limit: int
    ) -> list[LogoutDelivery]:
        """Up to `limit` due deliveries, now held by `claim` until `claimed_until` (their
        attempt counted): no other worker gets them meanwhile."""
        statement = (
            sql.CLAIM_DELIVERIES_POSTGRES if self.on_postgres else sql.CLAIM_DELIVERIES_SQLITE
        )
        args = (now, claim, claimed_until, limit)
        found = await self.database.run(_rows, statement, args, mode=ONE)
        return [self._rows.deliveries.record(row) for row in found]

    async def finish_delivery(
        self,
        delivery: LogoutDelivery,
        *,
        state: str,
        outcome: str,
        now: float,
        next_attempt_at: float,
    ) -> bool:
        """Record what one attempt got, if `delivery.claim` still holds it: `state`
        "delivered", "failed" or (another attempt to come) "pending"."""
        finished_at = None if state == "pending" else now
        args = (delivery.id, delivery.claim, state, outcome[:200], finished_at, next_attempt_at)
        return await self.database.run(_changed, sql.FINISH_DELIVERY, args, mode=ONE) == 1

    async def recent_deliveries(self, limit: int = 50) -> list[LogoutDelivery]:
        found = await self.database.run(_rows, sql.RECENT_DELIVERIES, (limit,), mode=READ)
        return [self._rows.deliveries.record(row) for row in found]


async def _open_browser_session(
    connection: Connection, rows: RowCodec, opening: SessionOpening
) -> BrowserSession:
    """Continue the presented browser session under the new cookie value if it still has
    the value the browser presented; otherwise start the fresh one."""
    fresh, continued = opening.fresh, opening.continues
    if continued is not None:
        args = (continued.id, continued.cookie_hash, fresh.cookie_hash, fresh.last_active_at)
        if await connection.changed(sql.ROTATE_BROWSER_SESSION, *args) == 1:
            return msgspec.structs.replace(
                continued, cookie_hash=fresh.cookie_hash, last_active_at=fresh.last_active_at
            )
    await connection.changed(sql.INSERT_BROWSER_SESSION, *rows.browser_sessions.args(fresh))
    return fresh
