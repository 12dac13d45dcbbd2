"""Pages: Jinja templates from `employer_rules/templates`, autoescaped, in the
request's language, never cached, with the cookie that remembers a switched language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Request, Response

from employer_rules.admin.i18n import ENDONYMS, LOCALES, Catalogues, choose_locale

TEMPLATES: Final = Path(__file__).resolve().parents[1] / "templates"
LANG_COOKIE: Final = "employer_rules_lang"
KEPT_IN_LANGUAGE_LINKS: Final = frozenset({"orgno", "before", "done"})
"""Query parameters a language link repeats; nothing else (a callback's `code` and
`state` must never travel on)."""
try:
    LOCAL_TIME: ZoneInfo | None = ZoneInfo("Europe/Oslo")
except ZoneInfoNotFoundError:  # a system without time zone data shows UTC
    LOCAL_TIME = None


def local_time(moment: datetime) -> str:
    shown = moment.astimezone(LOCAL_TIME) if LOCAL_TIME else moment
    return shown.strftime("%Y-%m-%d %H:%M:%S") + ("" if LOCAL_TIME else " UTC")


class Pages:
    def __init__(self, default_locale: str, *, secure_cookies: bool) -> None:
        self.default_locale = default_locale
        self.secure_cookies = secure_cookies
        self.catalogues = Catalogues()
        self.environment = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.environment.filters["local_time"] = local_time

    def locale(self, request: Request[Any, Any, Any]) -> str:
        return choose_locale(
            switcher=request.query_params.get("lang"),
            ui_locales=request.query_params.get("ui_locales"),
            cookie=request.cookies.get(LANG_COOKIE),
            accept_language=request.headers.get("accept-language"),
            default=self.default_locale,
        )

    def render(
        self,
        request: Request[Any, Any, Any],
        template: str,
        context: Mapping[str, Any] | None = None,
        *,
        status: int = 200,
        here: str | None = None,
    ) -> Response[str]:
        """`here`: the address the language links lead to (default: this GET page;
        the start page after a POST)."""
        lang = self.locale(request)
        page = here or (request.url.path if request.method == "GET" else "/")
        query = {k: v for k, v in request.query_params.items() if k in KEPT_IN_LANGUAGE_LINKS}
        links = [
            {
                "lang": code,
                "name": ENDONYMS[code],
                "href": f"{page}?{urlencode({**query, 'lang': code})}",
            }
            for code in LOCALES
        ]
        body = self.environment.get_template(template).render(
            {
                "lang": lang,
                "t": self.catalogues.translator(lang),
                "language_links": links,
                "administrator": None,
                "csrf_token": "",
                "section": "",
                **(context or {}),
            }
        )
        response = Response(body, status_code=status, media_type="text/html; charset=utf-8")
        response.headers["Cache-Control"] = "no-store"
        if request.query_params.get("lang") == lang:
            self.remember_locale(response, lang)
        return response

    def remember_locale(self, response: Response[Any], lang: str) -> None:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=self.secure_cookies,
        )

    def message(
        self,
        request: Request[Any, Any, Any],
        name: str,
        *,
        status: int,
        here: str | None = None,
        **context: Any,
    ) -> Response[str]:
        """A page that only says something: `message.<name>.title` and `.text`."""
        return self.render(
            request, "message.html", {"name": name, **context}, status=status, here=here
        )
