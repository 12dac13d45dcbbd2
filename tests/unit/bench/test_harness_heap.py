"""The load loop runs with the harness's heap set aside from the garbage collector, and
gives it back afterwards, even when the loop fails."""

from __future__ import annotations

import gc

import pytest

from bench.measure import harness_heap_set_aside, run_pool


async def test_the_heap_is_frozen_while_the_loop_runs_and_given_back_after() -> None:
    gc.unfreeze()
    seen: list[int] = []

    async def op(_slot: int, _index: int) -> tuple[float, None]:
        seen.append(gc.get_freeze_count())
        return 0.0, None

    await run_pool(4, 2, 5.0, op)

    assert min(seen) > 1000  # modules, pytest, the test's own objects
    assert gc.get_freeze_count() == 0


def test_the_heap_is_given_back_when_the_loop_fails() -> None:
    gc.unfreeze()
    with pytest.raises(RuntimeError), harness_heap_set_aside():
        raise RuntimeError("a loop that fails")
    assert gc.get_freeze_count() == 0
