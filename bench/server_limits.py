"""What an HTTP server does with slow or oversized requests, found by sending them
(`python -m bench servers`, or `--limits-only`), not read from its documentation.

Each probe is a raw TCP client on 127.0.0.1 and says what came back: a status code,
the connection closed or reset without an answer, or nothing within the probe's time.
The oversized requests ask for a path the provider does not have, so `404` means the
request got through the server to the application, and any other status is the
server's own refusal.

- header size: one header of 8 KiB, 64 KiB, 1 MiB
- header count: 100, 1 000, 10 000 short headers
- URL length: a query string of 8 KiB, 64 KiB, 1 MiB
- slow headers (slowloris): the request line, then one byte of a header every second;
  how long the server keeps the connection open
- idle before a request: connect and send nothing
- idle keep-alive: one request answered, then nothing
- requests per keep-alive connection: up to 1 000 requests, one after another

Every loop is bounded by a count and a time (`cap` seconds for the slow probes), and
every connection is closed at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass

import httptools

ANSWER_SECONDS = 10.0
SIZES = (8 * 1024, 64 * 1024, 1024 * 1024)
COUNTS = (100, 1_000, 10_000)
MAX_REQUESTS = 1_000


@dataclass
class Limits:
    """One server's outcomes, as table cells."""

    header_size: list[str]
    header_count: list[str]
    url_length: list[str]
    slow_headers: str = ""
    idle_before_request: str = ""
    idle_keep_alive: str = ""
    requests_per_connection: str = ""


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 else f"{n // 1024} KiB"


MISSING = "/no-such-page"
"""The application answers 404 here: the mark of a request that reached it."""


def request(target: str = "/health", extra: bytes = b"") -> bytes:
    return f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode() + extra + b"\r\n"


async def _status(reader: asyncio.StreamReader) -> str:
    """The status code of the first answer, or how the connection ended."""
    try:
        async with asyncio.timeout(ANSWER_SECONDS):
            line = await reader.readline()
    except TimeoutError:
        return f"no answer in {ANSWER_SECONDS:.0f} s"
    except ConnectionError:
        return "reset"
    if not line:
        return "closed"
    parts = line.split()
    return parts[1].decode() if len(parts) > 1 else "garbled"


async def one_request(port: int, data: bytes) -> str:
    """Send `data` (as much as the server takes) and report the answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        try:
            writer.write(data)
            async with asyncio.timeout(ANSWER_SECONDS):
                await writer.drain()
        except ConnectionError:
            status = await _status(reader)
            return status if status not in ("closed", "reset") else "closed while sending"
        except TimeoutError:
            return "stopped reading"
        return await _status(reader)
    finally:
        await closed(writer)


async def seconds_until_closed(
    port: int, first: bytes, drip: bytes | None, cap: float, read_answer: bool = False
) -> str:
    """Send `first`; then, with `drip`, one byte of it every second. Report when the
    server closes the connection (EOF or reset), or that it was still open at `cap`."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.monotonic()
    try:
        writer.write(first)
        if read_answer:
            await _read_one_answer(reader)
            started = time.monotonic()
        position = 0
        while time.monotonic() - started < cap:
            try:
                data = await asyncio.wait_for(reader.read(65536), timeout=1.0)
            except TimeoutError:
                if drip is not None:
                    try:
                        writer.write(drip[position % len(drip) : position % len(drip) + 1])
                    except ConnectionError:
                        return f"closed after {time.monotonic() - started:.0f} s"
                    position += 1
                continue
            except ConnectionError:
                return f"reset after {time.monotonic() - started:.0f} s"
            if not data:
                return f"closed after {time.monotonic() - started:.0f} s"
            status = data.split(b" ", 2)[1].decode(errors="replace") if b" " in data else "?"
            return f"answered {status} after {time.monotonic() - started:.0f} s, closed"
        return f"open after {cap:.0f} s"
    finally:
        await closed(writer)


async def closed(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(ConnectionError, TimeoutError):
        async with asyncio.timeout(2):
            await writer.wait_closed()


class _Answers:
    def __init__(self) -> None:
        self.complete = 0
        self.keep_alive = True

    def on_message_complete(self) -> None:
        self.complete += 1


async def _read_one_answer(reader: asyncio.StreamReader) -> None:
    answers = _Answers()
    parser = httptools.HttpResponseParser(answers)
    async with asyncio.timeout(ANSWER_SECONDS):
        while not answers.complete:
            data = await reader.read(65536)
            if not data:
                raise ConnectionError("closed before the answer")
            parser.feed_data(data)


async def requests_per_connection(port: int) -> str:
    """Requests answered on one connection before the server closes it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    answered = 0
    try:
        for _ in range(MAX_REQUESTS):
            writer.write(request())
            try:
                await _read_one_answer(reader)
            except (ConnectionError, httptools.HttpParserError):
                return f"closed after {answered}"
            answered += 1
        return f"open after {MAX_REQUESTS}"
    finally:
        await closed(writer)


def big_header(size: int) -> bytes:
    return b"X-Pad: " + b"a" * size + b"\r\n"


def many_headers(count: int) -> bytes:
    return b"".join(b"X-H%d: v\r\n" % i for i in range(count))


async def probe(port: int, cap: float) -> Limits:
    limits = Limits([], [], [])
    for size in SIZES:
        answer = await one_request(port, request(MISSING, big_header(size)))
        limits.header_size.append(f"{_size(size)}: {answer}")
    for count in COUNTS:
        answer = await one_request(port, request(MISSING, many_headers(count)))
        limits.header_count.append(f"{count}: {answer}")
    for size in SIZES:
        answer = await one_request(port, request(f"{MISSING}?pad={'a' * size}"))
        limits.url_length.append(f"{_size(size)}: {answer}")
    slow_first = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    limits.requests_per_connection = await requests_per_connection(port)
    (
        limits.slow_headers,
        limits.idle_before_request,
        limits.idle_keep_alive,
    ) = await asyncio.gather(
        seconds_until_closed(port, slow_first, b"X-Slow: " + b"a" * 64, cap),
        seconds_until_closed(port, b"", None, cap),
        seconds_until_closed(port, request(), None, cap, read_answer=True),
    )
    return limits


async def probe_all(ports: dict[str, int], cap: float) -> dict[str, Limits]:
    """Every server at once (the slow probes dominate: about `cap` seconds in all)."""
    names = list(ports)
    found = await asyncio.gather(*(probe(ports[name], cap) for name in names))
    return dict(zip(names, found, strict=True))


ROWS = (
    ("header size (one header)", "header_size"),
    ("header count", "header_count"),
    ("URL length", "url_length"),
    ("slow headers: one byte a second", "slow_headers"),
    ("idle, before any request", "idle_before_request"),
    ("idle keep-alive, after an answer", "idle_keep_alive"),
    ("requests per keep-alive connection", "requests_per_connection"),
)


def table(found: dict[str, Limits]) -> list[str]:
    names = list(found)
    lines = [
        "| probe | " + " | ".join(names) + " |",
        "| --- |" + " --- |" * len(names),
    ]
    for label, attribute in ROWS:
        cells = []
        for name in names:
            value = getattr(found[name], attribute)
            cells.append("<br>".join(value) if isinstance(value, list) else value)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines
