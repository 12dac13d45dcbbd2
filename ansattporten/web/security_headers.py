"""Headers every response carries.

The CSP allows scripts and styles only from our own `/static` (no inline code at all),
forbids framing (clickjacking of the login and picker), and `no-referrer` keeps
transaction URLs out of other sites' logs. `form-action` is left out on purpose:
browsers apply it to the redirect after a form post, which must reach the client.
"""

from __future__ import annotations

from typing import Any

from litestar import Response

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def security_headers(https: bool) -> Any:
    async def add_headers(response: Response[Any]) -> Response[Any]:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if https:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response

    return add_headers
