"""GET /language: the language switcher every page carries (plain links, so it works
without JavaScript; choosing a language is safe to repeat and changes nothing else).

1. read `lang` (nb, nn, en, se) and `next` (a path on this site)
2. when `next` is a page of a login of this browser, the login changes language
3. remember the choice in a cookie (a year), for logins that do not name a language
4. back to `next` (303), or a short confirmation when there is nowhere to go back to
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Response, get
from litestar.response import Redirect

from ansattporten.flows.language import switch_login_language
from ansattporten.outcomes import ShowPage, error_page
from ansattporten.web.browser_cookie import browser_id
from ansattporten.web.forms import query_pairs
from ansattporten.web.page_language import (
    login_of,
    requested_locale,
    safe_next,
    set_language_cookie,
)
from ansattporten.web.respond import respond
from ansattporten.web.state import AnyRequest, provider_of, renderer_of


@get("/language")
async def switch_language(request: AnyRequest) -> Response[Any]:
    form = dict(query_pairs(request))
    locale = requested_locale(form.get("lang"))
    target = safe_next(form.get("next"))
    if locale is None:
        return respond(request, error_page("error.bad_request", status=400))
    login = login_of(urlsplit(target).path) if target else None
    provider = provider_of(request)
    if login is not None:
        await switch_login_language(provider, login, browser_id(request), locale)
    response: Response[Any]
    if target is not None:
        response = Redirect(target, status_code=303)
    else:
        changed = {"title_key": "language.changed.title", "message_key": "language.changed"}
        response = renderer_of(request).page(ShowPage("message.html", changed), locale=locale)
    set_language_cookie(response, locale, secure=provider.settings.cookie_secure)
    return response


handlers = [switch_language]
