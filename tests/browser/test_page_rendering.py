"""The pages in a real browser, under the strict Content-Security-Policy they are served with.

Drives Debian's chromium through Playwright (a missing chromium fails the run). Requests
never leave the test: every URL is answered by a route handler that serves the rendered
page, the files in ui/static, and records what forms send.
"""

from __future__ import annotations

import mimetypes
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from ansattporten.web.i18n import default_catalogues, static_directory
from ansattporten.web.security_headers import CSP
from tests.support.chromium import chromium
from tests.unit.ui import sample_contexts
from tests.unit.ui.rendering import render

pytestmark = pytest.mark.browser

ORIGIN = "http://ansattporten.test"
CLIENT = "https://lonn.example.no"


@dataclass
class Site:
    """What the route handler serves, and what it saw."""

    page_html: str = ""
    requests: list[tuple[str, str, str]] = field(default_factory=list)
    """(method, url, body) of everything that was not a page or a static file."""
    external: list[str] = field(default_factory=list)

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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@dataclass
class Tab:
    page: Any
    site: Site
    console_errors: list[str]

    def open(self, template: str, context: dict[str, Any]) -> None:
        self.site.page_html = render(template, context | {"static": "/static"})
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


def new_tab(browser: Any, *, javascript: bool = True, width: int = 1200) -> Iterator[Tab]:
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": 900}
    )
    site = Site()
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


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    yield from new_tab(browser)


@pytest.fixture
def tab_without_js(browser: Any) -> Iterator[Tab]:
    yield from new_tab(browser, javascript=False)


def t(key: str, **kwargs: object) -> str:
    return default_catalogues().translator("nb")(key, **kwargs)


def visible_orgnos(tab: Tab) -> list[str]:
    found: list[str] = tab.page.eval_on_selector_all(
        "[data-org]",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.dataset.orgno)",
    )
    return found


# Strict CSP -------------------------------------------------------------------------------

PAGES = [
    ("login_testid.html", sample_contexts.login_testid),
    ("picker.html", sample_contexts.picker),
    ("picker.html", sample_contexts.picker_accountant),
    ("error.html", sample_contexts.error),
    ("message.html", sample_contexts.message),
]


@pytest.mark.parametrize(("template", "make"), PAGES, ids=[f"{t}-{m.__name__}" for t, m in PAGES])
def test_page_runs_under_strict_csp(tab: Tab, template: str, make: Any) -> None:
    tab.open(template, make())
    tab.page.wait_for_load_state("load")
    assert tab.violations() == []
    assert tab.console_errors == []
    assert tab.site.external == []
    color = tab.page.eval_on_selector("body", "b => getComputedStyle(b).color")
    assert color == "rgb(30, 43, 60)", "app.css did not apply"


# Organisation picker with JavaScript ------------------------------------------------------


def test_picker_filters_as_you_type(tab: Tab) -> None:
    context = sample_contexts.picker_accountant()
    tab.open("picker.html", context)
    count = tab.page.locator("#picker-count")
    assert count.text_content() == "Viser 50 av 312"
    loaded = sum(1 + len(g["subunits"]) for g in context["groups"])

    tab.page.fill("#q", "bergen")
    shown = visible_orgnos(tab)
    names = {p.orgno: p.name for g in context["groups"] for p in [g["party"], *g["subunits"]]}
    assert shown
    assert len(shown) < loaded
    for group in context["groups"]:
        main = group["party"]
        subs = group["subunits"]
        matching_subs = [s.orgno for s in subs if "bergen" in s.name.lower()]
        if "bergen" in main.name.lower():
            assert main.orgno in shown
            assert all(s.orgno in shown for s in subs), "a matching main unit brings its sub-units"
        elif matching_subs:
            assert main.orgno in shown, "the main unit stays as context"
            assert [s.orgno for s in subs if s.orgno in shown] == matching_subs
        else:
            assert main.orgno not in shown
    assert all(orgno in names for orgno in shown)
    expected = t("picker.count_filtered", shown=len(shown), total=loaded)
    expected += " " + t("picker.filter_truncated", total=312)
    tab.page.wait_for_function(
        "text => document.getElementById('picker-count').textContent === text", arg=expected
    )

    tab.page.fill("#q", "")
    assert len(visible_orgnos(tab)) == loaded
    tab.page.wait_for_function(
        "() => document.getElementById('picker-count').textContent === 'Viser 50 av 312'"
    )
    assert tab.violations() == []
    assert tab.console_errors == []


def test_picker_filters_by_organisation_number_with_spaces(tab: Tab) -> None:
    context = sample_contexts.picker()
    tab.open("picker.html", context)
    sub = context["groups"][0]["subunits"][1]
    tab.page.fill("#q", f"{sub.orgno[:3]} {sub.orgno[3:6]} {sub.orgno[6:]}")
    assert visible_orgnos(tab) == [context["groups"][0]["party"].orgno, sub.orgno]


def test_picker_says_when_nothing_matches(tab: Tab) -> None:
    tab.open("picker.html", sample_contexts.picker())
    assert not tab.page.is_visible("#picker-no-matches")
    tab.page.fill("#q", "finnes ikke")
    assert visible_orgnos(tab) == []
    assert tab.page.is_visible("#picker-no-matches")


def test_picker_keeps_chosen_entry_visible(tab: Tab) -> None:
    context = sample_contexts.picker()
    tab.open("picker.html", context)
    solo = context["groups"][2]["party"]
    tab.page.check(f"input[name='party'][value='{solo.orgno}']")
    tab.page.fill("#q", "bergen")
    assert solo.orgno in visible_orgnos(tab)


def test_picker_counts_chosen_organisations(tab: Tab) -> None:
    context = sample_contexts.picker(multiple=True)
    tab.open("picker.html", context)
    assert not tab.page.is_visible("#picker-selected")
    boxes = tab.page.locator("input[name='party']")
    boxes.nth(0).check()
    boxes.nth(2).check()
    assert tab.page.text_content("#picker-selected") == "Valgt: 2"
    boxes.nth(0).uncheck()
    boxes.nth(2).uncheck()
    assert not tab.page.is_visible("#picker-selected")


def test_picker_search_button_still_asks_the_server(tab: Tab) -> None:
    context = sample_contexts.picker_accountant()
    tab.open("picker.html", context)
    tab.page.fill("#q", "bodø")
    with tab.page.expect_response(lambda response: "?q=" in response.url):
        tab.page.click(".search__button")
    gets = [url for method, url, _ in tab.site.requests if method == "GET"]
    assert gets == [f"{ORIGIN}{context['search_action']}?q=bod%C3%B8"]


# Without JavaScript -----------------------------------------------------------------------


def test_picker_without_javascript(tab_without_js: Tab) -> None:
    tab = tab_without_js
    context = sample_contexts.picker(allow_self=True)
    tab.open("picker.html", context)
    sub = context["groups"][0]["subunits"][0]
    tab.page.click(f"label[for='{tab.page.get_attribute(f'input[value={sub.orgno!r}]', 'id')}']")
    with tab.page.expect_response(lambda response: response.request.method == "POST"):
        tab.page.click("button[name='choose']")
    assert tab.posts() == [
        {"csrf_token": [sample_contexts.CSRF_TOKEN], "party": [sub.orgno], "choose": ["1"]}
    ]


def test_picker_represent_myself_needs_no_choice(tab_without_js: Tab) -> None:
    tab = tab_without_js
    tab.open("picker.html", sample_contexts.picker(allow_self=True))
    with tab.page.expect_response(lambda response: response.request.method == "POST"):
        tab.page.click("button[name='self']")
    assert tab.posts() == [{"csrf_token": [sample_contexts.CSRF_TOKEN], "self": ["1"]}]


def test_picker_search_without_javascript(tab_without_js: Tab) -> None:
    tab = tab_without_js
    context = sample_contexts.picker()
    tab.open("picker.html", context)
    tab.page.fill("#q", "bergen")
    with tab.page.expect_response(lambda response: "?q=" in response.url):
        tab.page.press("#q", "Enter")
    assert [url for _, url, _ in tab.site.requests] == [
        f"{ORIGIN}{context['search_action']}?q=bergen"
    ]


# Login, keyboard only ---------------------------------------------------------------------


def test_login_with_the_keyboard(tab: Tab) -> None:
    tab.open("login_testid.html", sample_contexts.login_testid())
    page = tab.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None
    assert box["y"] >= 0, "the skip link shows when focused"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "pid"
    page.keyboard.type("01819012345")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "idporten-loa-substantial"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "idporten-loa-high"
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.keyboard.press("Enter")
    assert tab.posts() == [
        {
            "csrf_token": [sample_contexts.CSRF_TOKEN],
            "pid": ["01819012345"],
            "acr": ["idporten-loa-high"],
        }
    ]


def test_login_error_summary_takes_focus(tab: Tab) -> None:
    tab.open("login_testid.html", sample_contexts.login_testid(error_key="login.error.invalid_pid"))
    tab.page.wait_for_function("document.activeElement.id === 'error-summary'")
    tab.page.click("#error-summary a")
    assert tab.page.evaluate("document.activeElement.id") == "pid"


def test_login_browser_refuses_a_short_number(tab: Tab) -> None:
    tab.open("login_testid.html", sample_contexts.login_testid())
    tab.page.fill("#pid", "123")
    assert tab.page.evaluate("document.getElementById('pid').checkValidity()") is False


# form_post --------------------------------------------------------------------------------


def test_form_post_submits_itself(tab: Tab) -> None:
    context = sample_contexts.form_post()
    with tab.page.expect_request(context["redirect_uri"]) as sent:
        tab.open("form_post.html", context)
    request = sent.value
    assert request.method == "POST"
    assert urllib.parse.parse_qs(request.post_data) == {
        name: [value] for name, value in context["params"].items()
    }
    assert tab.violations() == []
