"""A request id on every request: taken from `X-Request-Id` when a proxy set a sane one,
otherwise made up; put on every log line of the request and echoed in the response, so
a person's error page and the server's log can be matched."""

from __future__ import annotations

import contextvars
import os
import random
import re
from typing import Any, cast

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE = re.compile(r"[A-Za-z0-9._-]{8,64}")

_ids = random.Random()  # noqa: S311 - not a secret, see below
"""Request ids only tie log lines together; they are not secrets, so they come from a
fast generator (seeded from os.urandom) instead of a system call per request."""
os.register_at_fork(after_in_child=_ids.seed)


def new_request_id() -> str:
    return f"{_ids.getrandbits(64):016x}"


SCOPE_KEY = "ansattporten.request_id"


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Chooses the id and sets it for the log lines of the request. The response
    header is added by the `before_send` hook (`security_headers.response_headers`),
    which also sees the responses no middleware wraps."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        token = current_request_id.set(scope_request_id(scope))
        try:
            await app(scope, receive, send)
        finally:
            current_request_id.reset(token)

    return middleware


def scope_request_id(scope: Scope) -> str:
    """The request's id, chosen once per request and kept in the scope: the incoming
    `X-Request-Id` when it is sane, otherwise a new one."""
    state = cast(dict[str, Any], scope)
    found: str | None = state.get(SCOPE_KEY)
    if found is None:
        incoming = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
        found = state[SCOPE_KEY] = incoming if _SANE.fullmatch(incoming) else new_request_id()
    return found
