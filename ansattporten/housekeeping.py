"""Deleting what has expired, in the background of every instance.

A login transaction keeps the person's national identity number and what the
registers said about them until it expires, and so does a session; pushed requests,
codes, grants, refresh tokens and back-channel logout deliveries pile up behind every
login, and every login leaves an audit record with the person's number. Nothing reads
them after their end (audit records: after `audit_retention_days`), so they are
deleted on a timer rather than kept forever. Each instance runs the timer (several
deleting the same rows is harmless); the first run comes at a random point of the
first interval, so instances started together do not all delete at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random

from ansattporten.flows.context import Provider
from ansattporten.store.housekeeping_operations import CODE_KEPT_SECONDS

log = logging.getLogger("ansattporten.housekeeping")
DAY_SECONDS = 24 * 3600


async def purge_once(provider: Provider, window_seconds: int) -> dict[str, int]:
    """A code is kept after it expired so that a late replay revokes its grant; not
    beyond the grant's own lifetime, when there is no grant left to revoke."""
    now = provider.clock()
    current_window = int(now) // window_seconds
    return await provider.store.purge_expired(
        now,
        rate_windows_before=current_window - 1,
        codes_before=now - min(CODE_KEPT_SECONDS, provider.settings.grant_lifetime),
        deliveries_before=now - provider.settings.backchannel_kept_seconds,
        audit_before=now - provider.settings.audit_retention_days * DAY_SECONDS,
    )


async def keep_tidy(provider: Provider, interval: float, window_seconds: int) -> None:
    """Purge every `interval` seconds until cancelled. A failure (the database away for
    a moment) is logged and tried again next time: it must not stop the instance."""
    await asyncio.sleep(random.uniform(0.0, interval))  # noqa: S311 - timing, not a secret
    while True:
        try:
            deleted = await purge_once(provider, window_seconds)
        except Exception:
            log.exception("purging expired rows failed; trying again in %.0f s", interval)
        else:
            if any(deleted.values()):
                log.info("purged expired rows", extra={"deleted": deleted})
        await asyncio.sleep(interval)


def start_purging(
    provider: Provider, interval: float, window_seconds: int
) -> asyncio.Task[None] | None:
    """The timer as a task of the running loop; None when `interval` turns it off."""
    if interval <= 0:
        return None
    return asyncio.create_task(keep_tidy(provider, interval, window_seconds))


async def stop_purging(task: asyncio.Task[None] | None) -> None:
    """Cancel the timer and wait for it (a purge under way is rolled back)."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
