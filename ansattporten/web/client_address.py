"""Which address a request comes from: the peer of the connection, unless that peer is
a proxy the settings trust (`trusted_proxies`).

Rate limits count per address, so the address must be one the client cannot choose.
`ansattporten serve` therefore turns uvicorn's own proxy-header handling off (uvicorn
would otherwise believe `X-Forwarded-For` from 127.0.0.1, where a local nginx connects
from); only when proxies are listed does this middleware, uvicorn's implementation,
replace the peer with the address the proxy forwarded (the right-most one not itself a
trusted proxy).
"""

from __future__ import annotations

from typing import Any, cast

from litestar.middleware import DefineMiddleware
from litestar.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware


def forwarded_client_address(trusted_proxies: list[str]) -> list[DefineMiddleware]:
    """The middleware to add to the app: none when no proxy is trusted."""
    if not trusted_proxies:
        return []
    return [DefineMiddleware(_believing_proxies, trusted=list(trusted_proxies))]


def _believing_proxies(app: ASGIApp, trusted: list[str]) -> ASGIApp:
    """uvicorn's middleware around the route (the two libraries type ASGI apart)."""
    return cast(ASGIApp, ProxyHeadersMiddleware(cast(Any, app), trusted_hosts=trusted))
