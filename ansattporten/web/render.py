"""Turning a flow's outcome into a Litestar response.

Pages are rendered from `ui/templates` (autoescaped) with one Jinja environment per
locale, whose templates have their fixed texts translated at compile time
(`translated_templates`); every page also gets the translator for its language, for the
texts that take arguments. Back-channel answers are JSON encoded
with msgspec.

Every error page carries the request id as its support reference, and is logged with
it (`error page shown`), so an operator can find what happened from what the person
reads to them.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Response
from litestar.response import Redirect

from ansattporten.outcomes import JsonBody, Outcome, PostTo, RedirectTo, ShowPage
from ansattporten.web.i18n import (
    SUPPORTED_LOCALES,
    Catalogues,
    locales_directory,
    templates_directory,
)
from ansattporten.web.request_id import current_request_id
from ansattporten.web.security_headers import csp_framing
from ansattporten.web.session_cookie import apply_session_cookie
from ansattporten.web.translated_templates import TranslatingLoader

log = logging.getLogger("ansattporten.web")


class Renderer:
    def __init__(self, default_locale: str, *, cookie_secure: bool = False) -> None:
        """`cookie_secure`: the session cookie is set with `Secure` (an https issuer)."""
        self.default_locale = default_locale
        self.cookie_secure = cookie_secure
        self.catalogues = Catalogues.load(locales_directory())
        files = FileSystemLoader(templates_directory())
        self.environments = {
            locale: Environment(
                loader=TranslatingLoader(files, self.catalogues.translator(locale)),
                autoescape=select_autoescape(default=True),
                auto_reload=False,
            )
            for locale in SUPPORTED_LOCALES
        }

    def page(
        self,
        page: ShowPage,
        *,
        locale: str | None = None,
        language_next: str | None = None,
        request_id: str | None = None,
    ) -> Response[bytes]:
        """`locale`: the browser's language, used when the page does not belong to a
        login that decided its own (`lang` in the context). `language_next`: where the
        language switcher returns to, unless the page names its own. `request_id`: the
        request's id (else the one of the current log context), for error pages."""
        context: dict[str, Any] = {"csrf_token": "", "static": "/static"}
        if language_next:
            context["language_next"] = language_next
        context.update(page.context)
        t = self.catalogues.translator(context.get("lang") or locale or self.default_locale)
        context["lang"] = t.locale
        context["t"] = t
        if "notice_keys" in context:
            context["notices"] = [t(key) for key in context.pop("notice_keys")]
        if page.template == "error.html":
            request_id = request_id or current_request_id.get()
            if request_id != "-":
                context.setdefault("request_id", request_id)
            log.info(
                "error page shown",
                extra={
                    "message_key": context.get("message_key"),
                    "status": page.status,
                    "request_id": request_id,
                },
            )
        html = self.environments[t.locale].get_template(page.template).render(context)
        headers = {"Cache-Control": "no-store"}
        if page.frame_origins:
            headers["Content-Security-Policy"] = csp_framing(page.frame_origins)
        return Response(
            html.encode(),
            status_code=page.status,
            media_type="text/html; charset=utf-8",
            headers=headers,
        )

    def outcome(
        self,
        outcome: Outcome,
        *,
        locale: str | None = None,
        language_next: str | None = None,
        request_id: str | None = None,
    ) -> Response[Any]:
        """The response to `outcome`, with the session cookie it carries set or cleared."""
        if isinstance(outcome, JsonBody):
            return json_response(outcome.body, outcome.status, outcome.headers)
        response: Response[Any]
        if isinstance(outcome, RedirectTo):
            response = Redirect(outcome.url, status_code=303)
        elif isinstance(outcome, PostTo):
            context = {"redirect_uri": outcome.url, "params": outcome.params}
            if outcome.lang:
                context["lang"] = outcome.lang
            response = self.page(ShowPage("form_post.html", context), locale=locale)
        else:
            response = self.page(
                outcome, locale=locale, language_next=language_next, request_id=request_id
            )
        if outcome.session is not None:
            apply_session_cookie(response, outcome.session, secure=self.cookie_secure)
        return response


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response[bytes]:
    return Response(
        msgspec.json.encode(body),
        status_code=status,
        media_type="application/json",
        headers=headers or {},
    )
