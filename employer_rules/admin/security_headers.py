"""Headers on every response: a strict content security policy (no scripts at all,
styles from our own file, forms only to us and to the provider, whose end-session
endpoint a logout is redirected to), no framing, no sniffing, no referrer."""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send


def content_security_policy(issuer: str) -> str:
    parts = urlsplit(issuer)
    provider = f"{parts.scheme}://{parts.netloc}"
    return (
        "default-src 'none'; style-src 'self'; img-src 'self'; "
        f"form-action 'self' {provider}; base-uri 'none'; frame-ancestors 'none'"
    )


def security_headers(issuer: str, *, https: bool) -> type:
    policy = content_security_policy(issuer)

    class SecurityHeaders:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP:
                await self.app(scope, receive, send)
                return

            async def with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = MutableScopeHeaders.from_message(message)
                    headers["Content-Security-Policy"] = policy
                    headers["X-Content-Type-Options"] = "nosniff"
                    headers["X-Frame-Options"] = "DENY"
                    headers["Referrer-Policy"] = "no-referrer"
                    if https:
                        headers["Strict-Transport-Security"] = "max-age=31536000"
                await send(message)

            await self.app(scope, receive, with_headers)

    return SecurityHeaders
