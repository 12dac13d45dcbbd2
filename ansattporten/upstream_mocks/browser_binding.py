"""Binding a pending login to the browser that started it.

`/authorize` gives the browser a random cookie (or keeps the one it has) and stores its
value with the pending login; the login pages refuse a browser without it, so a copied
link to someone's half-finished login is worthless, as at a real upstream.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Redirect

from ansattporten.upstream_mocks.memory import random_handle
from ansattporten.upstream_mocks.responses import NO_STORE


def browser_of(request: Request[Any, Any, Any], cookie_name: str) -> str:
    return request.cookies.get(cookie_name) or random_handle()


def redirect_bound(location: str, cookie_name: str, browser: str) -> Redirect:
    """A 303 to the login page that (re)sets the browser's cookie."""
    cookie = Cookie(key=cookie_name, value=browser, path="/", httponly=True, samesite="lax")
    return Redirect(location, status_code=303, headers=NO_STORE, cookies=[cookie])
