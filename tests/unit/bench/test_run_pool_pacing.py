"""The load loop: closed (slots start again at once) or paced (a steady start rate)."""

from __future__ import annotations

import time

from bench.measure import run_pool

EARLY = 0.003
"""asyncio may wake a sleeper up to its clock resolution early."""


async def starts_of(count: int, slots: int, rate: float | None) -> list[float]:
    began = time.perf_counter()
    starts: list[float] = []

    async def op(_slot: int, _index: int) -> tuple[float, None]:
        starts.append(time.perf_counter() - began)
        return 0.0, None

    result = await run_pool(count, slots, 10.0, op, rate)
    assert len(result.latencies) == count
    assert not result.errors
    return starts


async def test_a_paced_loop_starts_run_i_no_earlier_than_i_over_rate() -> None:
    rate = 100.0
    starts = sorted(await starts_of(12, 4, rate))
    # counted from the first run: the pace holds even when setting the harness's heap
    # aside took a while before it (the schedule starts after that, not in a burst)
    for index, started in enumerate(starts):
        assert started - starts[0] >= index / rate - EARLY


async def test_a_closed_loop_does_not_wait_between_runs() -> None:
    starts = await starts_of(12, 4, None)
    # twelve instant runs; paced at 100/s they would take 0.11 s (the first may start
    # late: the harness's heap is collected and frozen before the loop's clocks start)
    assert max(starts) - min(starts) < 0.1
