"""Phones: at 320×568 (the smallest common screen) no page scrolls sideways, in any
language or state, and the TestID number field is on the first screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ansattporten.web.i18n import SUPPORTED_LOCALES
from tests.support.chromium import chromium
from tests.support.rendered_pages import Tab, new_tab
from tests.unit.ui import sample_contexts

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 320, 568


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def phone(browser: Any) -> Iterator[Tab]:
    yield from new_tab(browser, width=WIDTH, height=HEIGHT, keep_form_post=True)


def sideways(tab: Tab) -> int:
    overflow: int = tab.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return overflow


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_no_page_scrolls_sideways(phone: Tab, locale: str) -> None:
    too_wide = {}
    for template, contexts in sample_contexts.samples(locale).items():
        for index, context in enumerate(contexts):
            phone.open(template, context)
            if overflow := sideways(phone):
                too_wide[f"{template}#{index}"] = overflow
    assert too_wide == {}


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_number_field_is_on_the_first_screen(phone: Tab, locale: str) -> None:
    for context in sample_contexts.samples(locale)["login_testid.html"]:
        phone.open("login_testid.html", context)
        if context.get("error_key"):
            continue  # the error summary comes first, and links to the field
        box = phone.page.locator("#pid").bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= HEIGHT, f"{locale}: the field ends at {box}"
