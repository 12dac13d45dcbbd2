"""A real HTTP server on loopback that answers every request with what a handler
function returns, for tests that shape exact answers (a status, a header, a body cut
into pieces) and check exactly what was sent.

httpx's `Request` and `Response` serve as plain values here: the handler gets the
request as the server received it off the socket and returns the answer to write back.
The server runs in a thread of its own (`serve_in_thread`), so a handler may block
(`time.sleep`) to play a slow register without stopping the client under test.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from tests.support.servers import answer_lifespan, serve_in_thread

Handler = Callable[[httpx.Request], httpx.Response]


def handler_app(handler: Handler) -> Any:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await answer_lifespan(receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        host = dict(scope["headers"]).get(b"host", b"localhost").decode()
        query = scope["query_string"].decode()
        url = f"http://{host}{scope['raw_path'].decode()}" + (f"?{query}" if query else "")
        request = httpx.Request(scope["method"], url, headers=scope["headers"], content=body)
        response = handler(request)
        await send(
            {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": response.headers.raw,
            }
        )
        if response.is_stream_consumed:  # given as bytes: httpx has read it already
            await send({"type": "http.response.body", "body": response.content, "more_body": True})
        else:  # given as an async iterator: sent piece by piece as it yields
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    return app


@contextlib.contextmanager
def serving(handler: Handler) -> Iterator[str]:
    """The server's base URL (no trailing slash) until the block ends."""
    with serve_in_thread(handler_app(handler)) as base_url:
        yield base_url
