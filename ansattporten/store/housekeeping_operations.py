"""The store's audit listing and its purge of what expired: a part of `Store` kept in its
own file (the class is one of `Store`'s bases, as `SessionOperations` is)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from ansattporten.records import AuditRecord
from ansattporten.store import statements as sql
from ansattporten.store.postgres import PostgresDatabase
from ansattporten.store.rows import RowCodec
from ansattporten.store.sql import Mode
from ansattporten.store.sql import change_rows as _changed
from ansattporten.store.sql import fetch_rows as _rows
from ansattporten.store.sqlite import SqliteDatabase

READ = Mode.READ
ONE = Mode.ONE_STATEMENT
CODE_KEPT_SECONDS = 3600
"""A redeemed or expired code is kept this long, so a late replay still finds it and
revokes its grant."""
AUDIT_PURGE_BATCH = 2000
"""Audit records one purge statement deletes at most: a few milliseconds of SQLite's
writer lock, far inside PostgreSQL's `statement_timeout`."""


class HousekeepingOperations:
    database: SqliteDatabase | PostgresDatabase
    _rows: RowCodec

    async def list_audit(self, limit: int = 50) -> list[AuditRecord]:
        rows = await self.database.run(_rows, sql.RECENT_AUDIT, (limit,), mode=READ)
        return [self._rows.audits_with_id.record(row) for row in rows]

    async def purge_expired(
        self,
        now: float,
        *,
        rate_windows_before: int,
        codes_before: float | None = None,
        deliveries_before: float | None = None,
        audit_before: float | None = None,
    ) -> dict[str, int]:
        """Drop what nobody can use any more: login transactions (they hold the person's
        number and the registers' answer), pushed requests, codes that expired before
        `codes_before` (default: an hour ago; a late replay still finds its code and
        revokes the grant), grants,
        refresh tokens and sessions past their end, rate counters of past windows,
        back-channel logout deliveries finished before `deliveries_before` (default:
        now), and audit records made before `audit_before` (default: none; the caller
        holds the retention). One statement per table, so no writer waits long for the
        lock; audit records in batches of `AUDIT_PURGE_BATCH`, each its own statement.
        Returns the rows deleted per table."""
        limits: Mapping[str, float] = {
            "authorization_codes": now - CODE_KEPT_SECONDS
            if codes_before is None
            else codes_before,
            "rate_counters": rate_windows_before,
            "logout_deliveries": now if deliveries_before is None else deliveries_before,
        }
        deleted: dict[str, int] = {}
        for table, statement in sql.PURGES.items():
            limit = (limits.get(table, now),)
            deleted[table] = await self.database.run(_changed, statement, limit, mode=ONE)
        deleted["audit_records"] = 0
        if audit_before is not None:
            deleted["audit_records"] = await self._purge_audit(audit_before)
        return deleted

    async def _purge_audit(self, before: float) -> int:
        """Batch after batch until one comes back short; the event loop gets a turn
        between them, so a backlog of years delays no request by more than a batch."""
        total = 0
        while True:
            batch = (before, AUDIT_PURGE_BATCH)
            count = await self.database.run(_changed, sql.PURGE_AUDIT, batch, mode=ONE)
            total += count
            if count < AUDIT_PURGE_BATCH:
                return total
            await asyncio.sleep(0)
