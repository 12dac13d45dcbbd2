"""An ASGI app that forwards to whichever of several apps is current, so a test can
change what a mock register answers between two steps of one login (a right withdrawn
after the login, before a refresh)."""

from __future__ import annotations

from typing import Any

from tests.support.servers import answer_lifespan


class Switchable:
    def __init__(self, **apps: Any) -> None:
        self.apps = apps
        self.current = next(iter(apps))

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await answer_lifespan(receive, send)
            return
        await self.apps[self.current](scope, receive, send)
