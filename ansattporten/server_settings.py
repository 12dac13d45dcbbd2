"""How the servers the `ansattporten` command starts treat slow and oversized requests:
the `[server]` table of the settings file.

uvicorn with httptools, which serves the provider, bounds none of these itself: a
request head of any size reached the application, and a client sending its headers a
byte a second held a connection for as long as it liked. `cli/head_limits.py` adds
these limits to uvicorn's protocol on every server the command starts: the provider
(`serve`, `demo`), the mock registers and upstreams, and employer-rules (which run with
the defaults).

The defaults, against what others ship: nginx allows 8 KiB per request line and per
header line and 32 KiB in all (`large_client_header_buffers 4 8k`) and waits 60 s for
a head (`client_header_timeout`); granian reads a head of up to 408 KiB with at most
100 headers and waits 30 s; Apache allows 8 KiB per line and 100 header lines; Node.js
16 KiB in all. The provider's own addresses need more than 8 KiB in one place: the
organisation picker keeps up to 1000 chosen organisations in its address (about 19
KiB), and an access token naming many organisations, sent back to userinfo as a bearer
token, grows by about 180 bytes per organisation.
"""

from __future__ import annotations

import msgspec


class ServerSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Limits on a request's head; a request over one is answered by the server itself
    (431, 414 or 408, then the connection is closed) and never reaches the
    application."""

    max_url_bytes: int = 32 * 1024
    """Longest request target (path and query), in bytes; a longer one is answered 414.
    The picker's address with 1000 chosen organisations is about 19 KiB."""

    max_header_line_bytes: int = 16 * 1024
    """Longest single header (name and value), in bytes; a longer one is answered 431.
    A bearer token naming about 80 organisations fits."""

    max_header_bytes: int = 64 * 1024
    """Most bytes of headers in one request, in all; more is answered 431."""

    max_headers: int = 100
    """Most header lines in one request; more is answered 431."""

    header_timeout_seconds: float = 10.0
    """Time from a connection's opening, or from the first byte of a request on a
    kept-alive connection, until the request's head is complete. A connection that sent
    part of a head in that time is answered 408 and closed; one that sent nothing is
    closed without an answer. (Idle kept-alive connections are closed after 5 s.)"""

    max_requests_per_connection: int = 100
    """Requests answered on one kept-alive connection before it is closed (nginx's
    `keepalive_requests` is 1000); lets `--workers N` share connections that clients
    keep open for good."""

    def __post_init__(self) -> None:
        if not 1024 <= self.max_url_bytes <= 1024 * 1024:
            raise ValueError("server.max_url_bytes must be between 1024 and 1048576")
        if not 1024 <= self.max_header_line_bytes <= self.max_header_bytes:
            raise ValueError(
                "server.max_header_line_bytes must be at least 1024 and at most "
                "server.max_header_bytes"
            )
        if self.max_header_bytes > 1024 * 1024:
            raise ValueError("server.max_header_bytes must be at most 1048576")
        if not 16 <= self.max_headers <= 1000:
            raise ValueError("server.max_headers must be between 16 and 1000")
        if not 1 <= self.max_requests_per_connection <= 100_000:
            raise ValueError("server.max_requests_per_connection must be between 1 and 100000")
        if not 0.5 <= self.header_timeout_seconds <= 300:
            raise ValueError("server.header_timeout_seconds must be between 0.5 and 300")
