"""A provider whose `ansattporten:orgno` source asks a real employer-rules service, with
the eIDs of `eid_stack` (the mock Entra ID's demo tenants) and the rules of
tests/fixtures/orgno/rules.json (Nora and Sindre at fjordvind.example, Jon and Kari at
havbris.example; the group ids are theirs in the mock's demo fixture).

    with run_orgno_stack(tmp, altinn_url) as stack:
        stack.eids.provider     # the provider
        stack.rules.delay = 2   # the employer-rules service now answers 2 s late
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from employer_rules.app import create_app as create_rules_app
from tests.support.eid_stack import EidStack, run_eid_stack
from tests.support.employer_rules import API_TOKEN, rules_settings
from tests.support.servers import free_socket, serve_in_thread

RULES = Path(__file__).resolve().parent.parent / "fixtures" / "orgno" / "rules.json"


class Delayed:
    """The employer-rules app, answering every HTTP request `delay` seconds late."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.delay = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and self.delay:
            await asyncio.sleep(self.delay)
        await self.app(scope, receive, send)


@dataclass
class OrgnoStack:
    eids: EidStack
    rules: Delayed
    rules_url: str


@contextlib.contextmanager
def run_orgno_stack(
    folder: Path, altinn: str, source: Mapping[str, Any] | None = None
) -> Iterator[OrgnoStack]:
    """`source`: changes to the `[sources.orgno]` block (e.g. `legacy_shape`)."""
    sock = free_socket()
    rules_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = rules_settings(
        rules_url, f"sqlite:///{folder / 'rules.db'}", overrides={"initial_rules_file": str(RULES)}
    )
    delayed = Delayed(create_rules_app(settings))
    orgno = {"base_url": rules_url, "token": API_TOKEN, "timeout_ms": 1000, **(source or {})}
    sources = {"altinn": {"base_url": altinn}, "orgno": orgno}
    overrides = {"sources": sources, "rate_limit": False}
    with (
        serve_in_thread(delayed, sock),
        run_eid_stack(f"sqlite:///{folder / 'provider.db'}", overrides) as eids,
    ):
        yield OrgnoStack(eids, delayed, rules_url)
