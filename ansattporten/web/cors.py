"""CORS (the Fetch standard's cross-origin protocol) on exactly the endpoints a browser
app uses: discovery, the JWKS, /token, /userinfo and /token/revoke.

- Allowed origins are the clients' (`flows.browser_origins`); any other origin gets no
  CORS header, so the browser keeps the answer from the page.
- Never with credentials: the person's cookie belongs to the login pages, and no answer
  here says `Access-Control-Allow-Credentials`; the allowed origin is echoed, never `*`.
- Preflights are answered here, before routing: the methods the endpoint takes, the
  request headers an app needs (Authorization, Content-Type, DPoP), for ten minutes.
- Answers expose `WWW-Authenticate` (why a token was refused) and `DPoP-Nonce`.
- Not on introspection: it serves APIs, which call from servers, and a browser app is a
  public client, which may not introspect anyway. Not on PAR: an app that can keep the
  request's secrets to itself is a server. Not on the browser pages: they are
  navigated to, never fetched.
"""

from __future__ import annotations

from collections.abc import Mapping

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from ansattporten import routes
from ansattporten.flows.browser_origins import BrowserOrigins

METHODS: Mapping[str, tuple[str, ...]] = {
    **{path: ("GET",) for path in routes.DISCOVERY},
    routes.JWKS: ("GET",),
    routes.TOKEN: ("POST",),
    routes.USERINFO: ("GET", "POST"),
    routes.REVOKE: ("POST",),
}
"""The endpoints that answer CORS, and the methods a browser app may use on each."""

ALLOWED_HEADERS = b"Authorization, Content-Type, DPoP"
EXPOSED_HEADERS = b"WWW-Authenticate, DPoP-Nonce"
PREFLIGHT_MAX_AGE = b"600"


def cors_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        methods = METHODS.get(scope["path"])
        if scope["type"] != ScopeType.HTTP or methods is None:
            await app(scope, receive, send)
            return
        headers = request_headers(scope)
        origin = headers.get(b"origin")
        allowed = origin is not None and await origins_of(scope).allows(origin.decode("latin-1"))
        if scope["method"] == "OPTIONS" and b"access-control-request-method" in headers:
            await preflight(send, origin if allowed else None, methods)
            return
        await app(scope, receive, with_cors_headers(send, origin if allowed else None))

    return middleware


def request_headers(scope: Scope) -> dict[bytes, bytes]:
    return {bytes(name).lower(): bytes(value) for name, value in scope.get("headers", [])}


def origins_of(scope: Scope) -> BrowserOrigins:
    origins: BrowserOrigins = scope["app"].state.browser_origins
    return origins


async def preflight(send: Send, origin: bytes | None, methods: tuple[str, ...]) -> None:
    """204 with the CORS grant for an allowed origin; 403 without one otherwise."""
    headers = [(b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers")]
    headers.append((b"allow", ", ".join(("OPTIONS", *methods)).encode()))
    if origin is not None:
        headers += [
            (b"access-control-allow-origin", origin),
            (b"access-control-allow-methods", ", ".join(methods).encode()),
            (b"access-control-allow-headers", ALLOWED_HEADERS),
            (b"access-control-max-age", PREFLIGHT_MAX_AGE),
        ]
    status = 204 if origin is not None else 403
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def with_cors_headers(send: Send, origin: bytes | None) -> Send:
    """Every answer of these endpoints varies by `Origin`; an allowed one is named."""

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            headers.append((b"vary", b"Origin"))
            if origin is not None:
                headers.append((b"access-control-allow-origin", origin))
                headers.append((b"access-control-expose-headers", EXPOSED_HEADERS))
            message["headers"] = headers
        await send(message)

    return send_with_headers
