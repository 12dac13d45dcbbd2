"""A service's back-channel logout endpoint, as a separate HTTP server: it keeps every
`logout_token` POSTed to it, and can be made to answer slowly or with an error, as a
service in trouble would."""

from __future__ import annotations

import asyncio
import threading
from typing import Any
from urllib.parse import parse_qs

from tests.support.servers import answer_lifespan


class LogoutReceiver:
    """An ASGI app: POST /backchannel with a form-encoded `logout_token`; any GET (the
    front-channel logout page the provider frames, or where the person lands after the
    logout) is answered with a small page, and its path and query kept."""

    def __init__(self) -> None:
        self.tokens: list[str] = []
        self.visits: list[tuple[str, dict[str, str]]] = []
        self.content_types: list[str] = []
        self.delay = 0.0
        """Seconds to wait before answering (longer than the provider's read timeout:
        a service that hangs)."""
        self.status = 200
        self.received = threading.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await answer_lifespan(receive, send)
            return
        if scope["method"] == "GET":
            query = {k: v[0] for k, v in parse_qs(scope["query_string"].decode()).items()}
            self.visits.append((scope["path"], query))
            headers = [(b"content-type", b"text/html; charset=utf-8")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b"<!doctype html><title>ok</title>"})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = dict(scope["headers"])
        self.content_types.append(headers.get(b"content-type", b"").decode())
        self.tokens.extend(parse_qs(body.decode()).get("logout_token", []))
        self.received.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def wait_for(self, count: int, timeout: float = 10.0) -> list[str]:
        """The tokens received, once there are `count` of them (or the timeout passed)."""
        deadline = threading.Event()
        for _ in range(int(timeout / 0.05)):
            if len(self.tokens) >= count:
                break
            deadline.wait(0.05)
        return list(self.tokens)
