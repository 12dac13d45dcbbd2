"""A tiny TCP load balancer for the scale-out tests: round-robin over backends, and a
backend that refuses connections is skipped, as nginx does with `proxy_next_upstream`.

It forwards bytes only (no HTTP parsing), one backend per client connection; tests use
a new connection per request so consecutive requests can land on different instances.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import threading
from collections.abc import Iterator


class Balancer:
    def __init__(self, backends: list[tuple[str, int]]) -> None:
        self.backends = backends
        self.served: list[int] = []
        """The port that answered each connection, in order."""
        self._turn = itertools.count()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _handle(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        start = next(self._turn)
        for offset in range(len(self.backends)):
            host, port = self.backends[(start + offset) % len(self.backends)]
            try:
                backend_reader, backend_writer = await asyncio.open_connection(host, port)
            except OSError:
                continue  # that instance is down: try the next one
            self.served.append(port)
            await asyncio.gather(
                self._pipe(client_reader, backend_writer),
                self._pipe(backend_reader, client_writer),
            )
            return
        client_writer.close()


@contextlib.contextmanager
def run_balancer(port: int, backends: list[tuple[str, int]]) -> Iterator[Balancer]:
    balancer = Balancer(backends)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder: dict[str, asyncio.base_events.Server] = {}

    async def serve() -> None:
        holder["server"] = await asyncio.start_server(balancer._handle, "127.0.0.1", port)
        started.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(serve(), loop).result(timeout=10)
    started.wait(10)
    try:
        yield balancer
    finally:

        async def stop() -> None:
            holder["server"].close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
