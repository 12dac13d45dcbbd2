"""Run an ASGI app on a real loopback socket for the length of a test.

Tests talk to the provider and the mock registers over real HTTP, as production does;
a uvicorn server in a background thread on an ephemeral port gives that without a
fixed port that two test runs could fight over. The server is the one the source kit
gives plugin authors (`authz_sources.testing.serving`).
"""

from __future__ import annotations

import contextlib
from typing import Any

from authz_sources.mock_server import free_socket
from authz_sources.mock_server import serving as serve_in_thread

__all__ = ["answer_lifespan", "free_port", "free_socket", "serve_in_thread"]


def free_port() -> int:
    with contextlib.closing(free_socket()) as sock:
        port: int = sock.getsockname()[1]
        return port


async def answer_lifespan(receive: Any, send: Any) -> None:
    """The ASGI lifespan handshake for the raw test apps that have nothing to start."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
