"""The browser-binding cookie.

A random value the browser keeps for its session; every login transaction stores its
hash, so a transaction can only be continued by the browser that started it. It says
nothing about who is logged in: that is the session cookie's job, issued only at an
authentication (`session_cookie.py`).

Only values the provider issued count: a value is 32 random characters followed by
their HMAC under a key every instance shares (kept in the database). A value someone
set in the browser beforehand (cookie fixation: from a sibling domain, or a page that
sets cookies) is not adopted; the next /authorize issues a fresh one, so whoever set it
cannot use it to follow or finish the person's login.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from litestar import Response

from ansattporten.web.state import AnyRequest

COOKIE_NAME = "ap_browser"
RANDOM_CHARS = 32
MAC_CHARS = 22
"""128 bits of HMAC-SHA256, URL-safe base64."""


class BrowserCookies:
    """Issues browser ids and recognises the ones issued with the same key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def issue(self) -> str:
        random = secrets.token_urlsafe(24)  # 32 characters
        return random + self._mac(random)

    def recognise(self, value: str | None) -> str | None:
        """`value` if the provider issued it, else None."""
        if value is None or len(value) != RANDOM_CHARS + MAC_CHARS or not value.isascii():
            return None
        random, mac = value[:RANDOM_CHARS], value[RANDOM_CHARS:]
        return value if hmac.compare_digest(mac, self._mac(random)) else None

    def _mac(self, random: str) -> str:
        digest = hmac.new(self._key, random.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode()[:MAC_CHARS]


def _cookies(request: AnyRequest) -> BrowserCookies:
    cookies: BrowserCookies = request.app.state.browser_cookies
    return cookies


def browser_id(request: AnyRequest) -> str | None:
    """The browser's id, if it carries one the provider issued."""
    return _cookies(request).recognise(request.cookies.get(COOKIE_NAME))


def new_browser_id(request: AnyRequest) -> str:
    return _cookies(request).issue()


def set_browser_cookie(response: Response[object], value: str, *, secure: bool) -> None:
    """The header Litestar's `set_cookie` would write (a test compares them), built
    directly: Litestar goes through the standard library's `SimpleCookie`, about 17 us
    per response for a value that never needs quoting (`new_browser_id` is URL-safe
    base64, and `browser_id` only passes values back that the provider issued)."""
    if not (value.isascii() and value.replace("-", "").replace("_", "").isalnum()):
        response.set_cookie(COOKIE_NAME, value, httponly=True, samesite="lax", secure=secure)
        return
    header = f"{COOKIE_NAME}={value}; HttpOnly; Path=/; SameSite=lax"
    response.headers["set-cookie"] = f"{header}; Secure" if secure else header
