"""`housekeeping.keep_tidy`: a purge that fails (the database away for a moment) is
logged and tried again at the next interval; the timer stops only when cancelled."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace
from typing import Any

import pytest

from ansattporten.housekeeping import keep_tidy


class FlakyStore:
    """Fails the first purge, then succeeds, recording the rate window it was given."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    async def purge_expired(
        self,
        now: float,
        *,
        rate_windows_before: int,
        codes_before: float,
        deliveries_before: float,
        audit_before: float,
    ) -> dict[str, int]:
        assert codes_before == now - 1800  # not past the grant: no grant left to revoke
        assert deliveries_before == now - 3600
        assert audit_before == now - 2 * 86400  # the retention is in days
        self.calls.append(rate_windows_before)
        if len(self.calls) == 1:
            raise OSError("database restarting")
        return {"interactions": 2}


async def test_a_failed_purge_is_logged_and_tried_again(caplog: pytest.LogCaptureFixture) -> None:
    store = FlakyStore()
    provider: Any = SimpleNamespace(
        store=store,
        clock=lambda: 6_000.0,
        settings=SimpleNamespace(
            backchannel_kept_seconds=3600, audit_retention_days=2, grant_lifetime=1800
        ),
    )

    with caplog.at_level(logging.INFO, logger="ansattporten.housekeeping"):
        task = asyncio.create_task(keep_tidy(provider, 0.01, window_seconds=60))
        while len(store.calls) < 3:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    assert store.calls[:3] == [99, 99, 99]  # 6000 s is window 100: older ones go
    messages = [record.getMessage() for record in caplog.records]
    assert any("purging expired rows failed" in m for m in messages)
    assert any(m == "purged expired rows" for m in messages)
