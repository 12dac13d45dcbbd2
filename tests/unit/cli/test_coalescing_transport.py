"""The coalescing transport of the served protocol (`cli/http_protocol`): one write per
loop turn, in order, nothing after close. (A real server over it:
`test_served_protocol.py`.)"""

from __future__ import annotations

import asyncio

from ansattporten.cli.http_protocol import CoalescingTransport


class RecordingTransport:
    """Records what reaches the socket."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str) -> str:
        return f"extra:{name}"


async def test_writes_in_one_loop_turn_go_out_as_one() -> None:
    socket_side = RecordingTransport()
    transport = CoalescingTransport(socket_side, asyncio.get_running_loop())  # type: ignore[arg-type]
    transport.write(b"HTTP/1.1 200 OK\r\n\r\n")
    transport.write(b"body")
    assert socket_side.writes == []
    await asyncio.sleep(0)
    assert socket_side.writes == [b"HTTP/1.1 200 OK\r\n\r\nbody"]
    transport.write(b"next")
    await asyncio.sleep(0)
    assert socket_side.writes[1:] == [b"next"]


async def test_close_writes_what_is_pending_first_and_nothing_after() -> None:
    socket_side = RecordingTransport()
    transport = CoalescingTransport(socket_side, asyncio.get_running_loop())  # type: ignore[arg-type]
    transport.write(b"last words")
    transport.close()
    assert socket_side.writes == [b"last words"]
    assert socket_side.closed
    transport.write(b"too late")
    await asyncio.sleep(0)
    assert socket_side.writes == [b"last words"]


async def test_other_transport_methods_reach_the_socket() -> None:
    socket_side = RecordingTransport()
    transport = CoalescingTransport(socket_side, asyncio.get_running_loop())  # type: ignore[arg-type]
    assert transport.get_extra_info("peername") == "extra:peername"
