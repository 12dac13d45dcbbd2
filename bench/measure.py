"""Bounded load loops, latency statistics, and CPU accounting around them.

CPU is read before and after each measured loop: the provider's process tree (workers
included), the mock register's, the database's (PostgreSQL setups), the load
generator's own (this process), and whatever else the machine spent meanwhile
("other": everything busy in /proc/stat minus the four), so a noisy machine shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import resource
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from bench.config import Setup
from bench.flows import FlowError
from bench.processes import PeakRss, cpu_seconds, peak_rss, reset_peak_rss
from bench.wire import WireError


def _machine_busy_seconds() -> float:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_cpu_seconds() -> float:
    """This process and its finished children (wrk, when a scenario uses it)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


@dataclass
class Monitor:
    """The process trees whose CPU is accounted: group name -> root pid."""

    roots: dict[str, int]
    rss_reset_works: bool = True

    def snapshot(self) -> dict[str, float]:
        snap = {group: cpu_seconds(pid) for group, pid in self.roots.items()}
        snap["client"] = _own_cpu_seconds()
        snap["machine"] = _machine_busy_seconds()
        return snap

    def reset_peaks(self) -> None:
        self.rss_reset_works = reset_peak_rss(self.roots["provider"]) and self.rss_reset_works

    def peaks(self) -> PeakRss:
        return peak_rss(self.roots["provider"])

    @staticmethod
    def delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        spent = {k: after[k] - before[k] for k in before if k != "machine"}
        machine = after["machine"] - before["machine"]
        spent["other"] = max(0.0, machine - sum(spent.values()))
        return spent


@dataclass
class Measurement:
    setup: Setup
    scenario: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    rss: PeakRss | None = None
    picker: list[float] = field(default_factory=list)
    status: str = ""
    """Empty when measured; otherwise why not (e.g. "not supported")."""
    rounds: list[float] = field(default_factory=list)
    """Paired pass: provider CPU ms per login of each round, in order."""
    partner: Setup | None = None
    """Paired pass: the setup this one took turns with. One of ours can be in two pairs
    (ours on SQLite against theirs on SQLite and in memory), each its own measurement."""

    @property
    def scenario_label(self) -> str:
        if self.partner is None:
            return self.scenario
        return f"{self.scenario} (with {self.partner.short})"

    def add_round(self, other: Measurement) -> None:
        """Fold one round of the paired pass into this measurement: counts, time and
        CPU add up, as if the rounds were one longer loop."""
        self.latencies += other.latencies
        self.errors += other.errors
        self.picker += other.picker
        self.wall += other.wall
        for group, seconds in other.cpu.items():
            self.cpu[group] = self.cpu.get(group, 0.0) + seconds
        self.rss = other.rss
        per_login = other.cpu_ms_per_op("provider")
        if per_login is not None:
            self.rounds.append(per_login)

    def charge_idle_cpu(self, seconds: float, to_other: Measurement) -> None:
        """Paired pass: `seconds` of this provider's CPU spent while the other provider
        ran its rounds (deferred work its own logins caused, such as garbage
        collection) is this provider's cost. The other side's rounds counted it under
        "other"; it moves here."""
        seconds = max(0.0, seconds)
        self.cpu["provider"] = self.cpu.get("provider", 0.0) + seconds
        to_other.cpu["other"] = max(0.0, to_other.cpu.get("other", 0.0) - seconds)

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.wall if self.wall > 0 else 0.0

    def cpu_ms_per_op(self, group: str) -> float | None:
        if not self.count or group not in self.cpu:
            return None
        return 1000 * self.cpu[group] / self.count


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of `values`, None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, int(-(-q * len(ordered) // 100)))  # ceil(q/100 * n)
    return ordered[min(rank, len(ordered)) - 1]


T = TypeVar("T")


@dataclass
class PoolResult(Generic[T]):
    latencies: list[float]
    errors: list[str]
    wall: float
    kept: list[T]
    """What each successful operation returned beside its latency."""


Operation = Callable[[int, int], Awaitable[tuple[float, T]]]
"""(slot, index) -> (latency in seconds, anything to keep)."""

EXPECTED = (FlowError, WireError, OSError, TimeoutError, KeyError, ValueError)


@contextlib.contextmanager
def harness_heap_set_aside() -> Iterator[None]:
    """The load generator's own full garbage collections walked everything it had built
    (httpx, the flows, earlier results) and paused it 10-20 ms, which showed up as
    latency of whichever logins were in flight, for either provider. Its heap is set
    aside (`gc.freeze()`) for the loop and given back after."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


async def run_pool(
    count: int, concurrency: int, seconds: float, op: Operation[T], rate: float | None = None
) -> PoolResult[T]:
    """Run `op` up to `count` times on `concurrency` slots; no new run starts after
    `seconds`, and the loop is abandoned 60 s after that whatever happens.

    Without `rate` it is a closed loop: a slot starts its next run the moment the last
    one ends, so the slots keep the server saturated. With `rate` (runs per second) run
    number i starts at i / rate on whichever slot is free: a steady arrival rate, the
    server's load set by the harness rather than by the server's own speed. The clocks
    start after the harness's heap is set aside (`harness_heap_set_aside`)."""
    with harness_heap_set_aside():
        return await _pool(count, concurrency, seconds, op, rate)


async def _pool(
    count: int, concurrency: int, seconds: float, op: Operation[T], rate: float | None
) -> PoolResult[T]:
    deadline = time.monotonic() + seconds
    issued = 0
    result: PoolResult[T] = PoolResult([], [], 0.0, [])
    began = time.perf_counter()

    async def slot(number: int) -> None:
        nonlocal issued
        while issued < count and time.monotonic() < deadline:
            index = issued
            issued += 1
            if rate is not None:
                await asyncio.sleep(max(0.0, began + index / rate - time.perf_counter()))
            try:
                latency, kept = await op(number, index)
            except EXPECTED as error:
                result.errors.append(f"{type(error).__name__}: {error}"[:300])
                continue
            result.latencies.append(latency)
            result.kept.append(kept)

    started = time.perf_counter()
    tasks = [asyncio.create_task(slot(n)) for n in range(max(1, min(concurrency, count)))]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + 60)
    except TimeoutError:
        result.errors.append("TimeoutError: the loop did not finish in time")
    finally:
        for task in tasks:
            task.cancel()
    result.wall = time.perf_counter() - started
    return result


async def measured(
    monitor: Monitor,
    measurement: Measurement,
    count: int,
    concurrency: int,
    seconds: float,
    op: Operation[T],
    rate: float | None = None,
) -> PoolResult[T]:
    """`run_pool` with CPU and peak memory recorded into `measurement`."""
    monitor.reset_peaks()
    before = monitor.snapshot()
    result = await run_pool(count, concurrency, seconds, op, rate)
    measurement.cpu = Monitor.delta(before, monitor.snapshot())
    measurement.rss = monitor.peaks()
    measurement.latencies = result.latencies
    measurement.errors = result.errors
    measurement.wall = result.wall
    if not result.latencies and not result.errors:
        measurement.status = "time limit reached"
    return result
