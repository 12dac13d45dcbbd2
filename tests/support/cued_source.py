"""An in-process source that answers when the test says so.

For tests about what the provider does around a register call (how many event-loop
turns pass after the answer, what a deadline does), without a register server: the
call waits on a future the test resolves or leaves hanging.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from authz_sources import Party, RequestedDetail, Subject

CUED_TYPE = "test:cued"
PARTY = Party(orgno="310000001", name="CUED TEST AS")


class CuedSource:
    """Each call waits until `answer()` (or forever, until its deadline)."""

    def __init__(
        self,
        name: str = "cued",
        *,
        answers_about: Literal["organisations", "person"] = "organisations",
        timeout_seconds: float = 2.0,
    ) -> None:
        self.name = name
        self.types: tuple[str, ...] = (f"{CUED_TYPE}:{name}",)
        self.detail_types = {self.types[0]: RequestedDetail}
        self.answers_about = answers_about
        self.timeout_seconds = timeout_seconds
        self.waiting: asyncio.Future[None] | None = None
        self.called = asyncio.Event()

    def parse_detail(self, raw: Mapping[str, Any]) -> RequestedDetail:
        return RequestedDetail(type=self.types[0], raw=dict(raw))

    async def find_parties(self, subject: Subject, detail: RequestedDetail) -> list[Party]:
        await self._cue()
        return [PARTY]

    async def _cue(self) -> None:
        self.waiting = asyncio.get_running_loop().create_future()
        self.called.set()
        await self.waiting

    def answer(self) -> None:
        """Resolve the waiting call, as a register's answer arriving would."""
        assert self.waiting is not None, "no call is waiting"
        self.waiting.set_result(None)

    async def grant(
        self, subject: Subject, detail: RequestedDetail, chosen: Sequence[Party]
    ) -> dict[str, Any]:
        if self.answers_about == "person":  # asked during the lookup, like HPR
            await self._cue()
        return {"type": detail.type, "authorized_parties": [p.orgno for p in chosen]}

    async def check_health(self) -> None:
        return None

    async def aclose(self) -> None:
        return None
