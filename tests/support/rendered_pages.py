"""Rendered templates in a real browser, under the Content-Security-Policy they are
served with: every URL is answered by a route handler that serves the page, the files
in ui/static, and records what forms send. Nothing leaves the test."""

from __future__ import annotations

import mimetypes
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ansattporten.web.i18n import static_directory
from ansattporten.web.security_headers import CSP
from tests.unit.ui.rendering import render

ORIGIN = "http://ansattporten.test"
CLIENT = "https://lonn.example.no"


@dataclass
class Site:
    """What the route handler serves, and what it saw."""

    page_html: str = ""
    requests: list[tuple[str, str, str]] = field(default_factory=list)
    """(method, url, body) of everything that was not a page or a static file."""
    external: list[str] = field(default_factory=list)
    keep_form_post: bool = False
    """Serve the form_post page without its auto-submit, so it stays to be looked at."""

    def handle(self, route: Any) -> None:
        request = route.request
        url = urllib.parse.urlsplit(request.url)
        origin = f"{url.scheme}://{url.netloc}"
        if origin not in {ORIGIN, CLIENT}:
            self.external.append(request.url)
            route.abort()
            return
        if origin == ORIGIN and url.path == "/page":
            headers = {"content-type": "text/html; charset=utf-8", "content-security-policy": CSP}
            route.fulfill(status=200, headers=headers, body=self.page_html)
            return
        if origin == ORIGIN and url.path.startswith("/static/"):
            path = static_directory() / url.path.removeprefix("/static/")
            if path.is_file() and path.resolve().parent == static_directory().resolve():
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                route.fulfill(status=200, headers={"content-type": kind}, body=path.read_bytes())
            else:
                route.fulfill(status=404, body="")
            return
        self.requests.append((request.method, request.url, request.post_data or ""))
        route.fulfill(status=200, headers={"content-type": "text/html"}, body="<p>received</p>")


@dataclass
class Tab:
    page: Any
    site: Site
    console_errors: list[str]

    def open(self, template: str, context: dict[str, Any]) -> None:
        html = render(template, context | {"static": "/static"})
        if self.site.keep_form_post:
            html = html.replace(" data-auto-submit", "")
        self.site.page_html = html
        self.page.goto(f"{ORIGIN}/page")

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.__cspViolations")
        return found

    def posts(self) -> list[dict[str, list[str]]]:
        return [
            urllib.parse.parse_qs(body)
            for method, _, body in self.site.requests
            if method == "POST"
        ]

    def gets(self) -> list[str]:
        return [url for method, url, _ in self.site.requests if method == "GET"]


def new_tab(
    browser: Any,
    *,
    javascript: bool = True,
    width: int = 1200,
    height: int = 900,
    keep_form_post: bool = False,
) -> Iterator[Tab]:
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": height}
    )
    site = Site(keep_form_post=keep_form_post)
    context.route("**/*", site.handle)
    context.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield Tab(page, site, errors)
    context.close()


def visible_orgnos(tab: Tab) -> list[str]:
    found: list[str] = tab.page.eval_on_selector_all(
        "[data-org]",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.dataset.orgno)",
    )
    return found
