"""axe-core (WCAG 2.1 A and AA) over every page template, every sample state, in all four
languages, as the browser shows them: with the picker filtered, ticked and emptied by
its script, and the time-limit warning showing. The results are saved as
test-artifacts/axe/templates.json."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ansattporten.web.i18n import SUPPORTED_LOCALES
from tests.support.axe import AxeReport
from tests.support.chromium import chromium
from tests.support.rendered_pages import Tab, new_tab
from tests.unit.ui import sample_contexts

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def report() -> Iterator[AxeReport]:
    collected = AxeReport("templates")
    yield collected
    collected.save()


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    yield from new_tab(browser, keep_form_post=True)


def filtered(tab: Tab) -> None:
    """The live filter has added organisations from beyond the page, and one is ticked."""
    far = tab.page.evaluate(
        "() => JSON.parse(document.getElementById('picker-data').textContent).at(-1)"
    )
    tab.page.fill("#q", far[1])
    tab.page.check(f"input[value='{far[0]}']")


def nothing_matches(tab: Tab) -> None:
    tab.page.fill("#q", "finnes ikke 0000")
    tab.page.wait_for_selector("#picker-no-matches", state="visible")


def warned(tab: Tab) -> None:
    tab.page.wait_for_selector("#deadline-warning", state="visible")


SCRIPTED: list[tuple[str, Callable[[str], dict[str, Any]], Callable[[Tab], None]]] = [
    ("picker.html", lambda locale: sample_contexts.picker_accountant(locale), filtered),
    ("picker.html", lambda locale: sample_contexts.picker_accountant(locale), nothing_matches),
    (
        "login_testid.html",
        lambda locale: sample_contexts.login_testid(locale, expires_in=100),
        warned,
    ),
]
"""States the pages reach only through their scripts."""


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_no_wcag_violations_on_any_page_in_any_state(
    tab: Tab, report: AxeReport, locale: str
) -> None:
    found: dict[str, list[dict[str, Any]]] = {}
    checked = 0
    for template, contexts in sample_contexts.samples(locale).items():
        for index, context in enumerate(contexts):
            tab.open(template, context)
            label = f"{template}#{index} [{locale}]"
            found[label] = report.check(tab.page, label)
            checked += 1
    for template, make, act in SCRIPTED:
        tab.open(template, make(locale))
        act(tab)
        label = f"{template} {act.__name__} [{locale}]"
        found[label] = report.check(tab.page, label)
        checked += 1
    assert tab.console_errors == []
    samples = sum(len(contexts) for contexts in sample_contexts.samples(locale).values())
    assert checked == samples + len(SCRIPTED) >= 28
    assert {label: v for label, v in found.items() if v} == {}


def test_the_check_finds_what_it_should(tab: Tab) -> None:
    """axe really runs: a page with an unlabelled field and too little contrast fails."""
    tab.open("login_testid.html", sample_contexts.login_testid())
    tab.page.evaluate(
        """() => {
            document.querySelector("label[for=pid]").remove();
            document.querySelector("h1").style.color = "#ddd";
        }"""
    )
    found = {violation["id"] for violation in AxeReport("self-check").check(tab.page, "broken")}
    assert {"label", "color-contrast"} <= found
