"""The protocol every server of the `ansattporten` command answers through: uvicorn's
httptools protocol with limits on request heads (`cli/head_limits.py`), each response's
writes sent as one.

Why the writes are gathered, kept by measurement: uvicorn writes the status line and
headers when the app sends `http.response.start`, and the body when it sends
`http.response.body`: two `send()` calls, and with TCP_NODELAY two segments, for every
response. On loopback the kernel delivers each segment inside the sender's system
call, and the client wakes up for each. Every page and every token answer in a login is
one short body, so this halves the system calls and the client wake-ups per response.
Paired with uvicorn's own protocol (limits in both), it saved about a tenth of the
provider's CPU per login (`python -m bench servers`; docs/architecture.md has the
figures), more than the 5 % the project allows its own code over a maintained one.

Writes are gathered until the event loop's next turn (`call_soon`) and then written
together, in order. Litestar sends the start and body messages back to back, so both
land in one write; anything else (a streamed body, uvicorn's own error answers) is
still written in order, at most one loop turn later. Closing writes what is pending
first.
"""

from __future__ import annotations

import asyncio
from typing import Any

from ansattporten.cli.head_limits import HeadLimitedProtocol


class CoalescingTransport:
    """A transport whose writes within one loop turn go out as one `write`."""

    __slots__ = ("_loop", "_pending", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] | None = None

    def write(self, data: bytes) -> None:
        if self._pending is None:
            self._pending = [data]
            self._loop.call_soon(self._flush)
        else:
            self._pending.append(data)

    def _flush(self) -> None:
        pending, self._pending = self._pending, None
        if pending and not self._transport.is_closing():
            self._transport.write(b"".join(pending))

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def __getattr__(self, name: str) -> Any:
        """Everything else (pause/resume reading, extra info, abort) is the socket's."""
        return getattr(self._transport, name)


class ServedProtocol(HeadLimitedProtocol):
    """`uvicorn.Config(http=...)`: uvicorn's httptools protocol with head limits, over a
    `CoalescingTransport`."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = CoalescingTransport(transport, self.loop)  # type: ignore[assignment]
