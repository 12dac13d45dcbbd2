"""uvicorn's httptools protocol with limits on a request's head (`ServerSettings`).

uvicorn bounds neither the size of a request head nor the time a client takes to send
it: with httptools, a head of any size reached the application, and a client sending
its headers a byte a second held a connection for as long as it liked. This subclass
adds the limits and nothing else: parsing, the ASGI cycle, keep-alive and writing stay
uvicorn's (no method here re-implements one of uvicorn's; each adds a check and then
calls it).

- The parser's callbacks check each piece as it is parsed: the URL (414), the number
  of headers, each header's size and their sum (431). A check that fails raises, which
  stops httptools; uvicorn then answers through `send_400_response`, which here answers
  the limit's status instead of 400 (and closes the connection).
- A header still arriving is not yet seen by any callback, so every read of a head is
  also counted: a head whose header bytes pass `max_header_bytes` is refused before
  the parser buffers more of it (at most one read past the limit).
- A timer runs from a connection's opening, or from the first byte of a later request,
  until the head is complete: when it fires, a partial head is answered 408 and a
  connection that sent nothing is closed. Idle kept-alive connections keep uvicorn's own
  idle timeout (`timeout_keep_alive`, 5 s).
- After `max_requests_per_connection` requests a keep-alive connection is answered
  with `Connection: close` (nginx's `keepalive_requests`): worker processes share one
  listening socket and a connection stays with the worker that accepted it, so a client
  that keeps a few connections for good (a load balancer) would otherwise leave one
  worker busy and another idle.

The limits come from the uvicorn `Config` the server was started with (its `limits`,
`cli/serving.py`), the defaults without one.
"""

from __future__ import annotations

import asyncio
import http
import logging
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ansattporten.server_settings import ServerSettings

logger = logging.getLogger(__name__)

REQUEST_LINE_OVERHEAD = 64
"""Bytes of a head that are neither URL nor header lines: method, version, line ends."""


class _OverLimit(Exception):
    """Raised in a parser callback to stop parsing a request over a limit."""


class HeadLimitedProtocol(HttpToolsProtocol):
    """`HttpToolsProtocol` enforcing `ServerSettings` on every request head."""

    def __init__(self, config: uvicorn.Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.limits: ServerSettings = getattr(config, "limits", None) or ServerSettings()
        self.url = b""
        self._awaiting_head = True
        self._head_bytes = 0
        self._header_bytes = 0
        self._requests = 0
        self._heads_begun = 0
        self._refusal: tuple[int, str] | None = None
        self._head_timer: asyncio.TimerHandle | None = None

    # the connection --------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._awaiting_head:
            self._head_bytes += len(data)
        begun = self._heads_begun
        super().data_received(data)
        if not self._awaiting_head or self.transport.is_closing():
            return
        if self._heads_begun != begun:  # the head still arriving began in this read
            self._head_bytes = 1  # something was sent (408 on timeout); counted from now
        elif (
            self._head_bytes - len(self.url) > self.limits.max_header_bytes + REQUEST_LINE_OVERHEAD
        ):
            self._refuse(431, "request headers too large")
            return
        if self._head_timer is None:
            self._arm_head_timer()

    # parser callbacks ------------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._awaiting_head = True
        self._heads_begun += 1
        self._header_bytes = 0

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > self.limits.max_url_bytes:
            self._over(414, "request target too long")

    def on_header(self, name: bytes, value: bytes) -> None:
        limits = self.limits
        size = len(name) + len(value) + 4  # ": " and the line end
        self._header_bytes += size
        if len(self.headers) >= limits.max_headers:
            self._over(431, "too many request headers")
        if size > limits.max_header_line_bytes:
            self._over(431, "request header too large")
        if self._header_bytes > limits.max_header_bytes:
            self._over(431, "request headers too large")
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._awaiting_head = False
        self._head_bytes = 0
        self._cancel_head_timer()
        super().on_headers_complete()
        self._requests += 1
        if self._requests >= self.limits.max_requests_per_connection and self.cycle is not None:
            self.cycle.keep_alive = False

    # refusing --------------------------------------------------------------------------

    def _over(self, status: int, reason: str) -> None:
        self._refusal = (status, reason)
        raise _OverLimit(reason)  # httptools stops and raises its own error to uvicorn

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to a request the parser stopped at: the limit's status when a
        limit stopped it."""
        refusal, self._refusal = self._refusal, None
        if refusal is None:
            super().send_400_response(msg)
        else:
            self._refuse(*refusal)

    def _refuse(self, status: int, reason: str) -> None:
        """Answer `status` and close; after the answer in flight, if there is one (the
        refused request then gets none: it was pipelined behind it)."""
        self._cancel_head_timer()
        self._awaiting_head = False
        logger.info("refused a request: %s (%d)", reason, status)
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.keep_alive = False
            self.pipeline.clear()
            self.flow.pause_reading()
            return
        body = reason.encode()
        self.transport.write(
            b"HTTP/1.1 %d %s\r\n" % (status, http.HTTPStatus(status).phrase.encode())
            + b"".join(
                name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers
            )
            + b"content-type: text/plain; charset=utf-8\r\n"
            + b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body)
            + body
        )
        self.transport.close()

    # the head's deadline ---------------------------------------------------------------

    def _arm_head_timer(self) -> None:
        self._head_timer = self.loop.call_later(
            self.limits.header_timeout_seconds, self._head_timed_out
        )

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or not self._awaiting_head:
            return
        if self._head_bytes:
            self._refuse(408, "request head not received in time")
        else:  # nothing sent at all: no request to answer
            self.transport.close()
