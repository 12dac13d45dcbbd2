"""The pages in a real browser, under the strict Content-Security-Policy they are served
with, with JavaScript and without (tests/support/rendered_pages.py serves them)."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from ansattporten.flows.picker_groups import PickerState
from ansattporten.web.i18n import default_catalogues
from tests.support.chromium import chromium
from tests.support.rendered_pages import ORIGIN, Tab, new_tab, visible_orgnos
from tests.unit.ui import sample_contexts

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    yield from new_tab(browser)


@pytest.fixture
def tab_without_js(browser: Any) -> Iterator[Tab]:
    yield from new_tab(browser, javascript=False)


def t(key: str, **kwargs: object) -> str:
    return default_catalogues().translator("nb")(key, **kwargs)


# Strict CSP -------------------------------------------------------------------------------

PAGES = [
    (template, index, context)
    for template, contexts in sample_contexts.samples("nb").items()
    if template != "form_post.html"
    for index, context in enumerate(contexts)
]


@pytest.mark.parametrize(
    ("template", "index", "context"), PAGES, ids=[f"{t}-{i}" for t, i, _ in PAGES]
)
def test_page_runs_under_strict_csp(tab: Tab, template: str, index: int, context: Any) -> None:
    tab.open(template, context)
    tab.page.wait_for_load_state("load")
    assert tab.violations() == []
    assert tab.console_errors == []
    assert tab.site.external == []
    color = tab.page.eval_on_selector("body", "b => getComputedStyle(b).color")
    assert color == "rgb(30, 43, 60)", "app.css did not apply"


# Organisation picker with JavaScript ------------------------------------------------------


def first_and_far(context: dict[str, Any]) -> tuple[Any, Any]:
    """The first organisation on the page, and the last main unit of the list (on the
    last page, its name starting with Å)."""
    listing = context["listing"]
    first = listing.groups[0].party
    far = listing.groups[-1].party
    assert first.orgno in listing.visible
    assert far.orgno not in listing.visible
    return first, far


def test_live_filter_searches_every_organisation_not_only_the_page(tab: Tab) -> None:
    context = sample_contexts.picker_accountant()
    tab.open("picker.html", context)
    on_page = set(visible_orgnos(tab))
    _, target = first_and_far(context)

    tab.page.fill("#q", target.name.lower())
    group = context["listing"].groups[-1]
    assert visible_orgnos(tab) == [target.orgno, *(sub.orgno for sub in group.subunits)]
    tab.page.wait_for_function(
        "text => document.getElementById('picker-count').textContent === text",
        arg=t("picker.count_filtered", shown=1 + len(group.subunits), total=400),
    )
    assert not tab.page.is_visible("#picker-pager"), "pages mean nothing while filtering"
    label = tab.page.locator(
        f"label[for='{tab.page.get_attribute(f'input[value={target.orgno!r}]', 'id')}']"
    )
    assert target.name in label.inner_text()

    tab.page.fill("#q", "")
    assert set(visible_orgnos(tab)) == on_page
    assert tab.page.is_visible("#picker-pager")
    assert tab.violations() == []
    assert tab.console_errors == []


def test_live_filter_by_organisation_number_with_spaces(tab: Tab) -> None:
    context = sample_contexts.picker()
    tab.open("picker.html", context)
    sub = sample_contexts.small_parties()[2]
    tab.page.fill("#q", f"{sub.orgno[:3]} {sub.orgno[3:6]} {sub.orgno[6:]}")
    assert visible_orgnos(tab) == [sub.parent_orgno, sub.orgno]


def test_live_filter_says_when_nothing_matches(tab: Tab) -> None:
    tab.open("picker.html", sample_contexts.picker_accountant())
    assert not tab.page.is_visible("#picker-no-matches")
    tab.page.fill("#q", "finnes ikke")
    assert visible_orgnos(tab) == []
    assert tab.page.is_visible("#picker-no-matches")
    assert tab.page.text_content("#picker-no-matches") == t("picker.no_matches")


def test_ticked_organisations_stay_visible_and_are_listed_as_chosen(tab: Tab) -> None:
    context = sample_contexts.picker_accountant()
    tab.open("picker.html", context)
    first, far = first_and_far(context)
    tab.page.check(f"input[value='{first.orgno}']")
    tab.page.fill("#q", far.name)
    tab.page.check(f"input[value='{far.orgno}']")
    tab.page.fill("#q", "tromsø")
    shown = visible_orgnos(tab)
    assert first.orgno in shown
    assert far.orgno in shown
    assert tab.page.text_content("#picker-selected") == "Valgt: 2"
    chosen = tab.page.locator("#picker-chosen-list li").all_inner_texts()
    assert [text.split(" 8")[0] for text in chosen] == [first.name, far.name]
    tab.page.uncheck(f"input[value='{first.orgno}']")
    assert tab.page.text_content("#picker-selected") == "Valgt: 1"


def test_search_button_posts_the_ticks_with_the_search(tab: Tab) -> None:
    context = sample_contexts.picker_accountant()
    tab.open("picker.html", context)
    first, _ = first_and_far(context)
    tab.page.check(f"input[value='{first.orgno}']")
    tab.page.fill("#q", "bodø")
    with tab.page.expect_response(lambda response: response.request.method == "POST"):
        tab.page.press("#q", "Enter")
    [sent] = tab.posts()
    assert sent == {
        "csrf_token": [sample_contexts.CSRF_TOKEN],
        "q": ["bodø"],
        "search": ["1"],
        "party": [first.orgno],
    }


def test_enter_on_an_organisation_continues(tab: Tab) -> None:
    tab.open("picker.html", sample_contexts.picker())
    first = tab.page.locator("input[name='party']").first
    first.focus()
    tab.page.keyboard.press("Space")
    with tab.page.expect_response(lambda response: response.request.method == "POST"):
        tab.page.keyboard.press("Enter")
    [sent] = tab.posts()
    assert sent["choose"] == ["1"]
    assert "search" not in sent


def test_continue_with_nothing_chosen_asks_the_server(tab: Tab) -> None:
    """No required radio can block the button while it is hidden by a filter: the
    server says "choose one" instead of the button doing nothing."""
    tab.open("picker.html", sample_contexts.picker())
    tab.page.fill("#q", "finnes ikke")
    with tab.page.expect_response(lambda response: response.request.method == "POST"):
        tab.page.click("button[name='choose']")
    [sent] = tab.posts()
    assert sent["choose"] == ["1"]
    assert "party" not in sent


def test_list_is_part_of_the_page_without_blank_space_or_scroll_trap(tab: Tab) -> None:
    tab.open("picker.html", sample_contexts.picker_accountant(state=PickerState(show_all=True)))
    page = tab.page
    footer_bottom = page.evaluate(
        "() => document.querySelector('footer').getBoundingClientRect().bottom + window.scrollY"
    )
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height - footer_bottom <= 1, "blank space below the footer"
    nested = page.evaluate(
        """() => Array.from(document.querySelectorAll('main *')).filter(e => {
            const style = getComputedStyle(e);
            return /(auto|scroll)/.test(style.overflowY) && e.scrollHeight > e.clientHeight;
        }).map(e => e.id || e.className)"""
    )
    assert nested == [], "a box that scrolls on its own traps the wheel and the keyboard"
    page.mouse.move(300, 600)
    before = page.evaluate("() => window.scrollY")
    page.mouse.wheel(0, 3000)
    page.wait_for_function("y => window.scrollY > y", arg=before)


# Without JavaScript -----------------------------------------------------------------------


def test_picker_without_javascript(tab_without_js: Tab) -> None:
    tab = tab_without_js
    tab.open("picker.html", sample_contexts.picker(allow_self=True))
    sub = sample_contexts.small_parties()[1]
    tab.page.click(f"label[for='{tab.page.get_attribute(f'input[value={sub.orgno!r}]', 'id')}']")
    with tab.page.expect_response(lambda response: response.request.method == "POST"):
        tab.page.click("button[name='choose']")
    assert tab.posts() == [
        {
            "csrf_token": [sample_contexts.CSRF_TOKEN],
            "party": [sub.orgno],
            "choose": ["1"],
        }
    ]


def test_represent_myself_needs_no_choice(tab_without_js: Tab) -> None:
    tab = tab_without_js
    tab.open("picker.html", sample_contexts.picker(allow_self=True))
    with tab.page.expect_response(lambda response: response.request.method == "POST"):
        tab.page.click("button[name='self']")
    assert tab.posts() == [{"csrf_token": [sample_contexts.CSRF_TOKEN], "self": ["1"]}]


def test_search_without_javascript_keeps_the_ticks(tab_without_js: Tab) -> None:
    tab = tab_without_js
    context = sample_contexts.picker_accountant()
    tab.open("picker.html", context)
    first, _ = first_and_far(context)
    tab.page.check(f"input[value='{first.orgno}']")
    tab.page.fill("#q", "bergen")
    with tab.page.expect_response(lambda response: response.request.method == "POST"):
        tab.page.press("#q", "Enter")
    assert tab.posts() == [
        {
            "csrf_token": [sample_contexts.CSRF_TOKEN],
            "q": ["bergen"],
            "search": ["1"],
            "party": [first.orgno],
        }
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
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "pid", "the skip link skips the menu"
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


# Time limit -------------------------------------------------------------------------------


def test_warning_before_the_time_limit_and_the_expired_page_after(tab: Tab) -> None:
    page = tab.page
    page.clock.install()
    tab.open("login_testid.html", sample_contexts.login_testid(expires_in=600))
    assert not page.is_visible("#deadline-warning")
    page.clock.run_for(481_000)
    page.wait_for_selector("#deadline-warning", state="visible")
    assert page.text_content("#deadline-warning") == t("deadline.warning", minutes=2)
    page.clock.run_for(65_000)
    page.wait_for_function(
        "text => document.getElementById('deadline-warning').textContent === text",
        arg=t("deadline.last_minute"),
    )
    with page.expect_request(lambda request: request.url == f"{ORIGIN}/login/0f3c9a"):
        page.clock.run_for(60_000)


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
