"""Turning a flow's outcome into a Litestar response.

Pages are rendered from `ui/templates` (autoescaped) with one Jinja environment per
locale, whose templates have their fixed texts translated at compile time
(`translated_templates`); every page also gets the translator for its language, for the
texts that take arguments. Back-channel answers are JSON encoded
with msgspec.
"""

from __future__ import annotations

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
from ansattporten.web.translated_templates import TranslatingLoader


class Renderer:
    def __init__(self, default_locale: str) -> None:
        self.default_locale = default_locale
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

    def page(self, page: ShowPage, *, locale: str | None = None) -> Response[bytes]:
        context: dict[str, Any] = {"csrf_token": "", "static": "/static"}
        context.update(page.context)
        lang = context.get("lang") or locale or self.default_locale
        t = self.catalogues.translator(lang)
        context["lang"] = lang
        context["t"] = t
        if "notice_keys" in context:
            context["notices"] = [t(key) for key in context.pop("notice_keys")]
        html = self.environments[t.locale].get_template(page.template).render(context)
        return Response(
            html.encode(),
            status_code=page.status,
            media_type="text/html; charset=utf-8",
            headers={"Cache-Control": "no-store"},
        )

    def outcome(self, outcome: Outcome, *, locale: str | None = None) -> Response[Any]:
        if isinstance(outcome, RedirectTo):
            return Redirect(outcome.url, status_code=303)
        if isinstance(outcome, PostTo):
            return self.page(
                ShowPage("form_post.html", {"redirect_uri": outcome.url, "params": outcome.params})
            )
        if isinstance(outcome, JsonBody):
            return json_response(outcome.body, outcome.status, outcome.headers)
        return self.page(outcome, locale=locale)


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response[bytes]:
    return Response(
        msgspec.json.encode(body),
        status_code=status,
        media_type="application/json",
        headers=headers or {},
    )
