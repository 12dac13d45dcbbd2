"""Plain HTML pages and the login session of the example services.

Pages are in the person's language (`language`), with links to switch it, a layout that
fits a 320 px wide phone without sideways scrolling, and a login button big enough to
tap. The services keep what they must remember between sending the person to the
provider and the callback (state, nonce, PKCE verifier, language) in a signed session
cookie; each service names its own cookie, so services on the same host do not
overwrite each other's.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, get
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.response import Redirect

from examples.common.language import COOKIE, ENDONYMS, LOCALES, locale_of, text
from examples.common.relying_party import PendingLogin

AnyRequest = Request[Any, Any, Any]

STYLE = """
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font-family:system-ui,sans-serif;font-size:1.0625rem;line-height:1.5;
color:#1e2b3c;background:#fff}
header,main{max-width:44rem;margin:0 auto;padding:0.75rem 1rem}
header{border-bottom:1px solid #dde1e6}
nav ul{display:flex;flex-wrap:wrap;gap:0 0.5rem;margin:0;padding:0;list-style:none}
nav a,nav span{display:inline-block;min-height:2.75rem;padding:0.5rem 0.25rem;
line-height:1.75rem}
nav span{font-weight:600}
a{color:#0062ba}
h1{font-size:1.75rem;line-height:1.25;overflow-wrap:anywhere}
p,li{overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f6f8;padding:0.75rem;
font-size:0.875rem}
button,.button{display:inline-block;min-height:3rem;min-width:3rem;padding:0.75rem 1.5rem;
font:inherit;font-weight:600;color:#fff;background:#0062ba;border:0;border-radius:0.375rem;
cursor:pointer;text-decoration:none}
button:focus-visible,a:focus-visible{outline:3px solid #1e2b3c;outline-offset:2px}
""".replace("\n", "")


def language_links(locale: str, here: str) -> str:
    items = []
    for code in LOCALES:
        name = ENDONYMS[code]
        if code == locale:
            items.append(f"<li><span lang='{code}' aria-current='true'>{name}</span></li>")
            continue
        href = f"/language?lang={code}&amp;next={quote(here, safe='/')}"
        items.append(f"<li><a href='{href}' lang='{code}' hreflang='{code}'>{name}</a></li>")
    label = html.escape(text(locale, "common.language"))
    return f"<nav aria-label='{label}'><ul>{''.join(items)}</ul></nav>"


def page(
    request: AnyRequest, title: str, body: str, status: int = 200, *, here: str = "/"
) -> Response[str]:
    """A page in the person's language; `here` is where the language links come back to
    (the callback cannot be loaded twice, so it sends them to the front page)."""
    locale = locale_of(request)
    return Response(
        f"<!doctype html><html lang='{locale}'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<header>{language_links(locale, here)}</header><main>"
        f"<h1>{html.escape(title)}</h1>{body}</main></body></html>",
        media_type="text/html",
        status_code=status,
    )


def translator(request: AnyRequest) -> Callable[..., str]:
    locale = locale_of(request)
    return lambda key, **values: text(locale, key, **values)


def login_button(label: str) -> str:
    return (
        "<form method='post' action='/login'><button type='submit' id='login'>"
        f"{html.escape(label)}</button></form>"
    )


def failed_login(request: AnyRequest, error: str, detail: str) -> Response[str]:
    """The callback brought an error: a plain message in the person's language, and the
    technical detail for whoever runs the service."""
    t = translator(request)
    cancelled = error == "access_denied"
    message = t("login.cancelled") if cancelled else t("login.failed")
    return page(
        request,
        t("login.cancelled.title") if cancelled else t("login.failed.title"),
        f"<p id='message'>{html.escape(message)}</p>"
        f"<p><a class='button' href='/' id='again'>{html.escape(t('login.again'))}</a></p>"
        f"<details><summary>{html.escape(t('login.technical'))}</summary>"
        f"<p id='error'>{html.escape(detail)}</p></details>",
        200 if cancelled else 400,
    )


def safe_path(value: str | None) -> str:
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


@get("/language")
async def choose_language(request: AnyRequest) -> Redirect:
    """The language links: remember the choice, back to where the person was."""
    response = Redirect(safe_path(request.query_params.get("next")), status_code=303)
    chosen = request.query_params.get("lang")
    if chosen in LOCALES:
        response.set_cookie(COOKIE, chosen, max_age=365 * 24 * 3600, samesite="lax")
    return response


def session_middleware(name: str) -> DefineMiddleware:
    """A signed client-side session in a cookie named after `name` (a fresh key per
    start: a restarted service forgets logins in progress, which is fine for examples).
    Browsers share cookies between ports of one host, so each service needs its own."""
    cookie = "session_" + re.sub(r"[^A-Za-z0-9_-]", "_", name)
    return CookieBackendConfig(secret=os.urandom(32), key=cookie).middleware


def remember(request: AnyRequest, pending: PendingLogin) -> None:
    request.session["pending"] = [pending.state, pending.nonce, pending.code_verifier]


def recall(request: AnyRequest) -> PendingLogin | None:
    """The login this browser started, forgotten as it is read (a callback is used once)."""
    saved = request.session.pop("pending", None)
    return PendingLogin(*saved) if saved else None
