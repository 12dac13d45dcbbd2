"""An ASGI wrapper that adds up the CPU of each request by a label, for
`python -m bench steps`.

The clock is `time.thread_time()`, the CPU of the thread running the event loop, read
when the application is called and when it returns. That is the request's own work
only while requests come one at a time: with several in flight, the loop runs the
others inside the same interval. What the application does not do itself (uvicorn
reading the request before the call, other threads such as SQLite's checkpoints)
falls outside it; the command compares the sum with the whole process's CPU for that.

`GET /_bench/step-costs` answers the totals so far as JSON
(`{label: [seconds, requests]}`), `POST /_bench/step-costs/reset` clears them; every
other request goes to the application.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

COSTS_PATH = "/_bench/step-costs"
RESET_PATH = COSTS_PATH + "/reset"
FLOOR_PAGE = "/page"
FLOOR_REDIRECT = "/redirect"
"""The paths of `bench.floor_app` (here, so the command need not build that app)."""

Label = Callable[[str, str], str]
"""(method, path) -> the label a request's CPU is added to."""


class StepTimed:
    def __init__(self, app: Any, label: Label) -> None:
        self.app = app
        self.label = label
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.requests: Counter[str] = Counter()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == COSTS_PATH:
            totals = {key: [self.seconds[key], self.requests[key]] for key in self.requests}
            await _answer(send, 200, json.dumps(totals).encode())
            return
        if scope["path"] == RESET_PATH and scope["method"] == "POST":
            self.seconds.clear()
            self.requests.clear()
            await _answer(send, 204, b"")
            return
        started = time.thread_time()
        try:
            await self.app(scope, receive, send)
        finally:
            key = self.label(scope["method"], scope["path"])
            self.seconds[key] += time.thread_time() - started
            self.requests[key] += 1


async def _answer(send: Any, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json")] if body else []
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
