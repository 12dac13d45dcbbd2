"""One access token per process, fetched once and renewed before it runs out.

Every login needs the token, so no login may wait for it in the normal case and no two
logins may fetch it at once:

- the token is handed out until shortly before it expires (`usable_until`, which keeps
  a margin for the request it is sent with);
- past `renew_at` (a third of its lifetime, at most 60 s, before expiry) a renewal starts
  in the background while the current token is still handed out, and a timer starts
  that renewal even when no login asks;
- when there is no usable token (first use, or the process slept), callers wait for
  *one* fetch: concurrent callers share it (single flight), and a caller that gives up
  (its login's deadline) does not cancel it for the others;
- a failed fetch is remembered for `retry_after` seconds, during which callers without a
  usable token fail at once instead of hammering the issuer; while a token is still
  usable, renewal is retried in the background with growing pauses.

Failures surface as `SourceUnavailable`, so a login fails closed exactly as when the
register itself is down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from authz_sources.errors import SourceUnavailable

logger = logging.getLogger(__name__)

MAX_RENEW_AHEAD = 60.0
"""Renew at most this long before expiry (and at the latest a third of the lifetime)."""
MAX_SAFETY_MARGIN = 5.0
"""Stop handing a token out this long before expiry (at most a tenth of its lifetime)."""


@dataclass(frozen=True, slots=True)
class Issued:
    """A token and when it expires, on the monotonic clock the cache runs on."""

    value: str
    expires_at: float


@dataclass(frozen=True, slots=True)
class _Held:
    """The current token with its schedule."""

    value: str
    usable_until: float
    renew_at: float

    @classmethod
    def of(cls, issued: Issued, obtained_at: float) -> _Held:
        lifetime = max(0.0, issued.expires_at - obtained_at)
        return cls(
            value=issued.value,
            usable_until=issued.expires_at - min(MAX_SAFETY_MARGIN, lifetime / 10),
            renew_at=issued.expires_at - min(MAX_RENEW_AHEAD, lifetime / 3),
        )


class RenewingToken:
    """A bearer token kept fresh for every caller of one process."""

    def __init__(
        self,
        fetch: Callable[[], Awaitable[Issued]],
        *,
        label: str,
        clock: Callable[[], float] = time.monotonic,
        retry_after: float = 1.0,
        max_backoff: float = 30.0,
    ) -> None:
        self._fetch = fetch
        self._label = label
        self._clock = clock
        self._retry_after = retry_after
        self._max_backoff = max_backoff
        self._held: _Held | None = None
        self._inflight: asyncio.Task[_Held] | None = None
        self._timer: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._failure: SourceUnavailable | None = None
        self._failed_at = 0.0
        self._failures_in_row = 0
        self.fetches = 0
        """How many fetches were started (for tests and metrics)."""

    async def get(self) -> str:
        """A usable token; waits only when there is none (SourceUnavailable if it fails)."""
        self._bind_loop()
        now = self._clock()
        held = self._held
        if held is not None and now < held.usable_until:
            if now >= held.renew_at and self._inflight is None and not self._cooling(now):
                self._start()
            return held.value
        task = self._inflight
        if task is None:
            if self._failure is not None and self._cooling(now):
                raise SourceUnavailable(str(self._failure))
            task = self._start()
        return (await asyncio.shield(task)).value

    def discard(self, value: str) -> None:
        """Forget `value` (the API refused it); the next `get` fetches a new one."""
        if self._held is not None and self._held.value == value:
            self._held = None

    async def aclose(self) -> None:
        """Stop the timer and any fetch in progress (safe to call twice)."""
        tasks = [t for t in (self._timer, self._inflight) if t is not None]
        self._timer = self._inflight = None
        if self._loop is not asyncio.get_running_loop():
            return  # tasks of another loop cannot be awaited here; they die with it
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def _cooling(self, now: float) -> bool:
        """Within `retry_after` of a failed fetch."""
        return self._failure is not None and now < self._failed_at + self._retry_after

    def _bind_loop(self) -> None:
        """Tasks belong to one event loop; on a new loop the old loop's tasks are dropped
        (the token itself stays good)."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop = loop
            self._inflight = self._timer = None

    def _start(self) -> asyncio.Task[_Held]:
        """Start the one fetch; its outcome is consumed even if nobody awaits it."""
        self.fetches += 1
        task = asyncio.get_running_loop().create_task(self._fetch_and_keep())
        task.add_done_callback(_consume)
        self._inflight = task
        return task

    async def _fetch_and_keep(self) -> _Held:
        started = self._clock()
        try:
            issued = await self._fetch()
        except SourceUnavailable as exc:
            self._failed(exc)
            raise
        except Exception as exc:  # a bug or an unexpected answer must still fail closed
            failure = SourceUnavailable(f"{self._label}: {type(exc).__name__}")
            self._failed(failure)
            raise failure from exc
        finally:
            if self._inflight is asyncio.current_task():
                self._inflight = None
        held = _Held.of(issued, started)
        self._held = held
        self._failure = None
        self._failures_in_row = 0
        self._schedule(held.renew_at - self._clock())
        return held

    def _failed(self, failure: SourceUnavailable) -> None:
        """Remember the failure; retry in the background while a token is still usable."""
        self._failure = failure
        self._failed_at = self._clock()
        self._failures_in_row += 1
        held = self._held
        if held is not None and self._failed_at < held.usable_until:
            pause = min(self._max_backoff, self._retry_after * 2 ** (self._failures_in_row - 1))
            self._schedule(pause)

    def _schedule(self, delay: float) -> None:
        """(Re)arm the background renewal timer."""
        if self._timer is not None and self._timer is not asyncio.current_task():
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().create_task(self._renew_after(max(0.0, delay)))

    async def _renew_after(self, delay: float) -> None:
        await asyncio.sleep(delay)
        if self._timer is asyncio.current_task():
            self._timer = None
        if self._inflight is None:
            self._start()


def _consume(task: asyncio.Task[_Held]) -> None:
    """Retrieve a failed fetch's exception so asyncio does not report it as lost (the
    failure is already recorded and logged by the fetch)."""
    if not task.cancelled():
        task.exception()
