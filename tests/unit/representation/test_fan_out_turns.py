"""`Representation._fan_out`: a register's answer reaches the flow after one event-loop
turn when the login has one register, and the deadline still holds without a task.

Why it matters: under load each turn is a wait behind every other request the loop has
ready; the task per call and `gather` used to cost four more turns per register call,
twice per picker step."""

from __future__ import annotations

import asyncio

import pytest

from ansattporten.rar import RegisterUnavailable, Representation
from authz_sources import Subject
from tests.support.cued_source import PARTY, CuedSource

SUBJECT = Subject(pid="01817700000", client_id="test-client")


class TurnCounter:
    """Counts event-loop turns: a callback that schedules itself runs once per turn."""

    def __init__(self) -> None:
        self.turns = 0
        self._running = True
        asyncio.get_running_loop().call_soon(self._tick)

    def _tick(self) -> None:
        if self._running:
            self.turns += 1
            asyncio.get_running_loop().call_soon(self._tick)

    def stop(self) -> None:
        self._running = False


async def turns_after_answer(sources: list[CuedSource]) -> tuple[int, list[str]]:
    representation = Representation(sources)
    requested = representation.validate([{"type": s.types[0]} for s in sources])
    lookup_task = asyncio.ensure_future(representation.lookup(SUBJECT, requested))
    for source in sources:
        await source.called.wait()
    counter = TurnCounter()
    for source in sources:
        source.answer()
    answered_at = counter.turns
    lookup = await lookup_task
    counter.stop()
    return counter.turns - answered_at, [p.orgno for p in lookup.selectable()]


async def test_one_register_answer_reaches_the_flow_in_one_turn() -> None:
    turns, orgnos = await turns_after_answer([CuedSource()])

    assert orgnos == [PARTY.orgno]
    # this test's own await of the lookup costs one turn; gather + wait_for cost five
    assert turns <= 2


async def test_several_registers_are_still_asked_together() -> None:
    sources = [CuedSource("orgs"), CuedSource("person", answers_about="person")]

    turns, orgnos = await turns_after_answer(sources)

    assert orgnos == [PARTY.orgno]
    assert turns <= 6


async def test_a_single_register_past_its_deadline_fails_closed() -> None:
    source = CuedSource(timeout_seconds=0.05)
    representation = Representation([source])
    requested = representation.validate([{"type": source.types[0]}])

    with pytest.raises(RegisterUnavailable) as failure:
        await representation.lookup(SUBJECT, requested)

    [timing] = failure.value.timings
    assert timing.outcome == "timeout"
    assert 40 <= timing.ms < 500
    assert source.waiting is not None
    assert source.waiting.cancelled()
