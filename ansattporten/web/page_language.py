"""Which language a page is shown in, and the language switcher's cookie.

A login decides its language once, at /authorize: `ui_locales` first, then the language
the person chose earlier with the switcher (a cookie), then the browser's
`Accept-Language`, then the provider's default. The login keeps that choice (the
request's `locale`) for every page until it ends, error pages and the form_post page
included; a switch during the login changes it. Pages outside a login (an unknown link,
the logout page) use the cookie, then `Accept-Language`.

The switcher is plain links (GET /language with `lang` and `next`), so it works without
JavaScript. `next` is where to go afterwards: a path on this site, never a URL
elsewhere.
"""

from __future__ import annotations

import re
from typing import Any, Final
from urllib.parse import urlsplit

from litestar import Response

from ansattporten import routes
from ansattporten.web.i18n import SUPPORTED_LOCALES, negotiate_locale, normalise_locale
from ansattporten.web.state import AnyRequest

LANGUAGE_COOKIE: Final = "ap_lang"
COOKIE_MAX_AGE: Final = 365 * 24 * 3600
MAX_NEXT: Final = 2000

_LOGIN_PATH = re.compile(r"^/login/([A-Za-z0-9_-]{1,64})(?:/[a-z]{1,20})?$")
_PICKER_PATH = re.compile(r"^/organisation/([A-Za-z0-9_-]{1,64})$")


def chosen_locale(request: AnyRequest) -> str | None:
    """The language the person picked with the switcher, if any."""
    value = request.cookies.get(LANGUAGE_COOKIE)
    return value if value in SUPPORTED_LOCALES else None


def browser_locale(request: AnyRequest) -> str | None:
    """The switcher's cookie, else the first supported language of `Accept-Language`;
    None when neither names one (the caller's default applies)."""
    chosen = chosen_locale(request)
    if chosen is not None:
        return chosen
    header = request.headers.get("accept-language")
    if not header:
        return None
    found = negotiate_locale(None, header[:500], default="")
    return found or None


def set_language_cookie(response: Response[Any], locale: str, *, secure: bool) -> None:
    response.set_cookie(
        LANGUAGE_COOKIE,
        locale,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=secure,
    )


def requested_locale(value: str | None) -> str | None:
    """A switcher's `lang` value as a supported locale, or None."""
    return normalise_locale(value) if value else None


def safe_next(value: str | None) -> str | None:
    """`value` when it is a path on this site (no scheme, no host, no backslash tricks,
    no control characters), otherwise None: the switcher must never redirect elsewhere."""
    if not value or len(value) > MAX_NEXT or not value.startswith("/"):
        return None
    if value.startswith(("//", "/\\")) or "\\" in value:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value


EID_CALLBACKS = routes.EID_CALLBACK.split("{", 1)[0]


def login_of(path: str) -> str | None:
    """The login transaction a page path belongs to (`/login/{id}...`,
    `/organisation/{id}`), if any."""
    found = _LOGIN_PATH.match(path) or _PICKER_PATH.match(path)
    return found.group(1) if found else None


def return_path(request: AnyRequest) -> str | None:
    """Where the switcher brings the person back to: the same address for a page that
    was fetched (GET), the page that shows the same step for one that answered a form."""
    path = request.scope["path"]
    if path.startswith(EID_CALLBACKS):  # never the upstream's code and state again
        return path
    if request.method == "GET":
        query = request.scope.get("query_string", b"").decode("latin-1")
        return safe_next(f"{path}?{query}" if query else path)
    if path == "/logout":
        return path
    login = login_of(path)
    if login is None:
        return None
    return f"/organisation/{login}" if path.startswith("/organisation/") else f"/login/{login}"
