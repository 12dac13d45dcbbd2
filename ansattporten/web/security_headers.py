"""Headers every response carries: the security headers below and the request id.

The CSP allows scripts and styles only from our own `/static` (no inline code at all),
forbids framing (clickjacking of the login and picker), and `no-referrer` keeps
transaction URLs out of other sites' logs. `form-action` is left out on purpose:
browsers apply it to the redirect after a form post, which must reach the client.
"""

from __future__ import annotations

from typing import Any

from litestar.types import Message, Scope

from ansattporten.web.request_id import scope_request_id

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def csp_framing(origins: tuple[str, ...]) -> str:
    """The CSP of a page that shows `origins` in iframes (the front-channel logout page:
    the services' logout pages), and nothing else more than any page may."""
    return f"{CSP}; frame-src {' '.join(origins)}" if origins else CSP


def response_headers(https: bool) -> Any:
    """A `before_send` hook: it sees every response, including error responses made by
    exception handlers and the router's own 404/405, which `after_request` never sees.
    One hook for both kinds of header: each hook is a call per ASGI message. A header
    the response already has is kept: the front-channel logout page brings its own CSP
    (`csp_framing`)."""
    headers = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    ]
    if https:
        headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        existing = list(message.get("headers", []))
        present = {bytes(name).lower() for name, _ in existing}
        existing.extend(header for header in headers if header[0] not in present)
        if b"x-request-id" not in present:
            existing.append((b"x-request-id", scope_request_id(scope).encode()))
        message["headers"] = existing

    return add_headers
