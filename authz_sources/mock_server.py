"""Serve a mock register (any ASGI app: Litestar, Starlette, a bare function) on a real
loopback port for the length of a test, so a source is tested over real HTTP exactly
as it will call its register. Needs the `mocks` extra (uvicorn).

    from authz_sources.testing import serving

    with serving(create_my_mock_app()) as base_url:      # "http://127.0.0.1:<port>"
        [source] = create_sources({"mine": {"kind": "my_kind", "base_url": base_url}})
        (await check_source(source, ...)).assert_ok()

The server runs in a thread of its own with its own event loop, on an ephemeral port,
so tests running side by side never fight over a port, and a mock that blocks (to play
a slow register) does not stop the source under test.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

START_SECONDS = 15.0


def free_socket() -> socket.socket:
    """A socket bound to an ephemeral loopback port, ready to listen."""
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose `proto` says
    # TCP, and accepted sockets inherit it; without it every response with a body waits
    # ~40 ms for Nagle + delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.contextmanager
def serving(app: Any, sock: socket.socket | None = None, **options: Any) -> Iterator[str]:
    """Serve `app` until the block ends; yields its base URL (no trailing slash).
    `options` go to uvicorn (`ssl_certfile` and `ssl_keyfile` serve https)."""
    sock = sock or free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False, **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the mock server did not start")
        time.sleep(0.01)
    try:
        yield f"{'https' if 'ssl_certfile' in options else 'http'}://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
