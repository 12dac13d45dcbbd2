"""Back-channel logout requests, delivered in the background of every instance.

A logout queues one row per service to tell (`logout_deliveries`), in the same
transaction that ends the session, and wakes this instance's worker; the person's
request never waits for a service. Each instance runs a worker that claims due rows
atomically (a conditional UPDATE: two instances never send the same one), POSTs a fresh
logout token to the service as ID-porten does - one attempt, 2 s to connect and 5 s to
answer, no redirects followed, at most a few kilobytes of answer read - and records the
outcome on the row (and in the log). A failed attempt is tried again only while
`backchannel_logout_retries` allows. A row whose worker died mid-way is claimed again
when its claim runs out.

A database that is away for a moment stops nothing: the worker logs it once, tries
again at its next turn, and says when it is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import httpx

from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.records import LogoutDelivery
from ansattporten.records.ids import new_id
from ansattporten.spec.oidc_backchannel import LOGOUT_TOKEN_TYP, logout_token_claims

log = logging.getLogger("ansattporten.logout_delivery")

BATCH = 20
"""Rows one worker claims at a time (and sends at once)."""
MAX_ANSWER_BYTES = 16 * 1024
"""How much of a service's answer is read: only its status matters."""
LOGOUT_TOKEN_LIFETIME = 120
"""Seconds a logout token is valid for, from when it is sent."""


class LogoutDeliveryWorker:
    def __init__(self, provider: Provider, http: httpx.AsyncClient | None = None) -> None:
        settings = provider.settings
        self.provider = provider
        self.http = http or httpx.AsyncClient(
            timeout=httpx.Timeout(
                connect=settings.backchannel_connect_timeout,
                read=settings.backchannel_read_timeout,
                write=settings.backchannel_read_timeout,
                pool=settings.backchannel_connect_timeout,
            ),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=BATCH, max_keepalive_connections=0),
        )
        self.lease = (
            settings.backchannel_connect_timeout + 2 * settings.backchannel_read_timeout + 10.0
        )
        self._wakeup = asyncio.Event()
        self._failing = False

    def wake(self) -> None:
        """Deliver what was just queued now rather than at the next poll."""
        self._wakeup.set()

    async def run(self, poll_seconds: float) -> None:
        """Deliver until cancelled: at every wake-up, and every `poll_seconds` for rows
        other instances queued (or whose attempts are due again)."""
        while True:
            self._wakeup.clear()
            await self.deliver_due_guarded()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=poll_seconds)

    async def deliver_due_guarded(self) -> None:
        try:
            await self.deliver_due()
        except Exception:
            if not self._failing:
                log.exception("back-channel logout deliveries paused; trying again shortly")
            self._failing = True
        else:
            if self._failing:
                log.info("back-channel logout deliveries going again")
            self._failing = False

    async def deliver_due(self) -> int:
        """Claim and send every due delivery, a batch at a time; how many were sent."""
        sent = 0
        while True:
            now = self.provider.clock()
            claimed = await self.provider.store.claim_deliveries(
                new_id(), now, now + self.lease, BATCH
            )
            if not claimed:
                return sent
            await asyncio.gather(*(self.deliver(delivery) for delivery in claimed))
            sent += len(claimed)

    async def deliver(self, delivery: LogoutDelivery) -> None:
        """One attempt, and its outcome recorded."""
        provider = self.provider
        outcome, accepted = await self.send(delivery)
        retries = max(0, provider.settings.backchannel_logout_retries)
        state = "delivered" if accepted else "pending" if delivery.attempts <= retries else "failed"
        now = provider.clock()
        await provider.store.finish_delivery(
            delivery,
            state=state,
            outcome=outcome,
            now=now,
            next_attempt_at=now + provider.settings.backchannel_logout_retry_seconds,
        )
        log.info(
            "back-channel logout %s",
            state,
            extra={
                "client_id": delivery.client_id,
                "outcome": outcome,
                "attempt": delivery.attempts,
            },
        )

    async def send(self, delivery: LogoutDelivery) -> tuple[str, bool]:
        """POST a fresh logout token; (what happened, whether the service accepted it:
        a 2xx answer)."""
        provider = self.provider
        client = await find_client(provider.store, delivery.client_id)
        if client is None:
            return "client no longer registered", False
        await provider.keyring.refresh_if_stale()
        claims = logout_token_claims(
            issuer=provider.issuer,
            client_id=delivery.client_id,
            sub=delivery.sub,
            sid=delivery.sid,
            jti=delivery.id,
            now=int(provider.clock()),
            lifetime=LOGOUT_TOKEN_LIFETIME,
        )
        token = provider.keyring.keys.sign(
            claims, alg=client.id_token_signed_response_alg, typ=LOGOUT_TOKEN_TYP
        )
        try:
            async with self.http.stream(
                "POST", delivery.uri, data={"logout_token": token}
            ) as answer:
                await read_at_most(answer, MAX_ANSWER_BYTES)
                return f"status {answer.status_code}", answer.is_success
        except httpx.TimeoutException:
            return "timeout", False
        except httpx.ConnectError:
            return "connect error", False
        except httpx.HTTPError as error:
            return type(error).__name__, False

    async def aclose(self) -> None:
        await self.http.aclose()


async def read_at_most(answer: httpx.Response, limit: int) -> None:
    """Read (and drop) the answer's body up to `limit` bytes, so the connection ends
    cleanly without a service being able to make us read a large one."""
    read = 0
    async for chunk in answer.aiter_raw():
        read += len(chunk)
        if read >= limit:
            return


def start_delivering(
    provider: Provider,
) -> tuple[LogoutDeliveryWorker, asyncio.Task[None] | None]:
    """This instance's worker, running as a task of the loop (None when
    `backchannel_poll_seconds` turns it off); the provider wakes it after a logout."""
    worker = LogoutDeliveryWorker(provider)
    poll = provider.settings.backchannel_poll_seconds
    if poll <= 0:
        return worker, None
    provider.wake_deliveries = worker.wake
    return worker, asyncio.create_task(worker.run(poll))


async def stop_delivering(worker: LogoutDeliveryWorker, task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    await worker.aclose()
