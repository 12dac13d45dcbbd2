"""The scenarios, run the same way against either provider.

- login-seq / login-c16: the full login (PAR, authorize, login form, picker with the
  Altinn lookup, code, token) one at a time, and with 16 concurrent browsers
- token: codes are prepared first (logins at 16 concurrent, not measured), then only
  their redemption at /token is measured (16 concurrent)
- refresh: the refresh tokens from `token`, each refreshed a few times in a chain
  (every answer rotates it), 16 concurrent
- introspect: a few access tokens, introspected over and over, 16 concurrent
- picker: logins by 16 concurrent browsers, the mock Altinn answering after 10 ms; the
  picker step (see `bench.flows`) is what is reported. Closed loop: every browser
  starts its next login at once, so the server is saturated and the step's latency is
  mostly the wait behind the other browsers' requests.
- picker-paced: the same 16 browsers, but logins start at a steady rate
  (`Sizes.paced_rate` per second, the same for both providers): the step's latency
  when the server is not saturated
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bench import config, flows
from bench.config import Setup, Sizes
from bench.measure import Measurement, Monitor, measured, run_pool
from bench.wire import Session

OPAQUE_RESOURCE = {"resource": "urn:ansattporten:opaque"}
"""Theirs refuses to introspect JWT access tokens; this resource indicator gives opaque
ones (see bench/node_server/server.mjs). Ours introspects its JWTs."""


@dataclass
class Clients:
    """One service client (PAR, token, introspection) and one browser per slot."""

    service: Session
    browsers: list[Session]


@asynccontextmanager
async def http_clients(concurrency: int) -> AsyncIterator[Clients]:
    service = Session(keep_cookies=False)
    browsers = [Session() for _ in range(concurrency)]
    try:
        yield Clients(service, browsers)
    finally:
        for client in [service, *browsers]:
            await client.aclose()


class Runner:
    """Runs the scenarios of one setup against one started provider."""

    def __init__(
        self,
        setup: Setup,
        target: flows.Target,
        monitor: Monitor,
        sizes: Sizes,
        clients: Clients,
        deadline: float,
    ) -> None:
        self.deadline = deadline
        """time.monotonic() after which no loop starts new work (the run's time limit)"""
        self.setup = setup
        self.target = target
        self.monitor = monitor
        self.sizes = sizes
        self.clients = clients
        self.pid = config.person()

    def seconds(self, wanted: float) -> float:
        """A loop's time bound: what the sizes allow, cut to the run's time limit."""
        return max(0.0, min(wanted, self.deadline - time.monotonic()))

    async def _login(self, slot: int, extra: dict[str, str] | None = None) -> flows.Login:
        return await flows.login(
            self.target, self.clients.browsers[slot], self.clients.service, self.pid, extra
        )

    async def warm_up(self) -> None:
        """Unmeasured logins (16 at a time) so first-request costs (imports, JIT, pools,
        caches) stay out of the numbers."""

        async def op(slot: int, _index: int) -> tuple[float, None]:
            login = await self._login(slot)
            await flows.redeem(self.target, self.clients.service, login)
            return login.seconds, None

        await run_pool(self.sizes.warm_up_logins, self.sizes.concurrency, self.seconds(30), op)

    async def full_login(
        self, concurrency: int, count: int, rate: float | None = None, name: str | None = None
    ) -> Measurement:
        name = name or ("login-seq" if concurrency == 1 else f"login-c{concurrency}")
        measurement = Measurement(self.setup, name)

        async def op(slot: int, _index: int) -> tuple[float, float]:
            started = time.perf_counter()
            login = await self._login(slot)
            await flows.redeem(self.target, self.clients.service, login)
            return time.perf_counter() - started, login.picker_seconds

        result = await measured(
            self.monitor,
            measurement,
            count,
            concurrency,
            self.seconds(self.sizes.scenario_seconds),
            op,
            rate,
        )
        measurement.picker = result.kept
        return measurement

    async def prepare_logins(
        self, count: int, extra: dict[str, str] | None = None
    ) -> list[flows.Login]:
        async def op(slot: int, _index: int) -> tuple[float, flows.Login]:
            login = await self._login(slot, extra)
            return login.seconds, login

        result = await run_pool(
            count, self.sizes.concurrency, self.seconds(self.sizes.prepare_seconds), op
        )
        return result.kept

    async def token(self) -> tuple[Measurement, list[str]]:
        """Redeeming prepared codes; also returns the refresh tokens it got."""
        measurement = Measurement(self.setup, "token")
        logins = await self.prepare_logins(self.sizes.token_codes)
        if not logins:
            measurement.status = "no codes could be prepared"
            return measurement, []

        async def op(_slot: int, index: int) -> tuple[float, str | None]:
            started = time.perf_counter()
            body = await flows.redeem(self.target, self.clients.service, logins[index])
            return time.perf_counter() - started, body.get("refresh_token")

        result = await measured(
            self.monitor,
            measurement,
            len(logins),
            self.sizes.concurrency,
            self.seconds(self.sizes.scenario_seconds),
            op,
        )
        return measurement, [rt for rt in result.kept if rt]

    async def refresh(self, refresh_tokens: list[str]) -> Measurement:
        measurement = Measurement(self.setup, "refresh")
        if not self.target.supports_refresh:
            measurement.status = "not supported"
            return measurement
        if not refresh_tokens:
            measurement.status = "no refresh_token issued"
            return measurement
        chain = self.sizes.refresh_chain

        async def op(_slot: int, index: int) -> tuple[float, list[float]]:
            # one chain: the token, then each rotated successor, `chain` requests in all
            token, latencies = refresh_tokens[index], list[float]()
            for _ in range(chain):
                started = time.perf_counter()
                token = await flows.refresh(self.target, self.clients.service, token)
                latencies.append(time.perf_counter() - started)
            return sum(latencies), latencies

        result = await measured(
            self.monitor,
            measurement,
            len(refresh_tokens),
            self.sizes.concurrency,
            self.seconds(self.sizes.scenario_seconds),
            op,
        )
        # one entry per request, not per chain
        measurement.latencies = [t for chain_times in result.kept for t in chain_times]
        return measurement

    async def introspect(self) -> Measurement:
        measurement = Measurement(self.setup, "introspect")
        extra = OPAQUE_RESOURCE if self.setup.provider == "node" else None
        tokens: list[str] = []
        for login in await self.prepare_logins(self.sizes.introspect_tokens, extra):
            body = await flows.redeem(self.target, self.clients.service, login)
            tokens.append(body["access_token"])
        if not tokens:
            measurement.status = "no access tokens could be prepared"
            return measurement

        async def op(_slot: int, index: int) -> tuple[float, None]:
            started = time.perf_counter()
            await flows.introspect(self.target, self.clients.service, tokens[index % len(tokens)])
            return time.perf_counter() - started, None

        await measured(
            self.monitor,
            measurement,
            self.sizes.introspections,
            self.sizes.concurrency,
            self.seconds(self.sizes.scenario_seconds),
            op,
        )
        return measurement

    async def all_main(self) -> list[Measurement]:
        await self.warm_up()
        results = [
            await self.full_login(1, self.sizes.login_sequential),
            await self.full_login(self.sizes.concurrency, self.sizes.login_concurrent),
        ]
        token, refresh_tokens = await self.token()
        results += [token, await self.refresh(refresh_tokens), await self.introspect()]
        return results

    async def picker(self) -> list[Measurement]:
        """Logins by 16 concurrent browsers against the mock Altinn at 10 ms (the issue's
        condition), saturating and paced; `picker` holds the step's latencies."""
        await self.warm_up()
        count, browsers = self.sizes.picker_sequential, self.sizes.concurrency
        return [
            await self.full_login(browsers, count, name="picker"),
            await self.full_login(browsers, count, self.sizes.paced_rate, name="picker-paced"),
        ]
