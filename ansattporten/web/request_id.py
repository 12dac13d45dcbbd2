"""A request id on every request: taken from `X-Request-Id` when a proxy set a sane one,
otherwise made up; put on every log line of the request and echoed in the response, so
a person's error page and the server's log can be matched."""

from __future__ import annotations

import contextvars
import os
import random
import re
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE = re.compile(r"[A-Za-z0-9._-]{8,64}")

_ids = random.Random()  # noqa: S311 - not a secret, see below
"""Request ids only tie log lines together; they are not secrets, so they come from a
fast generator (seeded from os.urandom) instead of a system call per request."""
os.register_at_fork(after_in_child=_ids.seed)


def new_request_id() -> str:
    return f"{_ids.getrandbits(64):016x}"


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        incoming = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SANE.fullmatch(incoming) else new_request_id()
        token = current_request_id.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            current_request_id.reset(token)

    return middleware


async def ensure_request_id_header(message: Message, scope: Scope) -> None:
    """A `before_send` hook for responses the middleware never wraps (the router's own
    404/405): they get an id too."""
    if message["type"] != "http.response.start":
        return
    headers: list[Any] = list(message.get("headers", []))
    if any(bytes(name).lower() == b"x-request-id" for name, _ in headers):
        return
    incoming = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
    request_id = incoming if _SANE.fullmatch(incoming) else new_request_id()
    headers.append((b"x-request-id", request_id.encode()))
    message["headers"] = headers
