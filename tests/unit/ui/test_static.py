"""Static assets: self-contained, and in step with the templates that use them."""

from __future__ import annotations

import re

import pytest

from ansattporten.web.i18n import static_directory

from . import sample_contexts
from .rendering import render_doc, static_file

SCRIPTS = ("picker.js", "form_post.js", "deadline.js")


def test_stylesheet_loads_nothing_external() -> None:
    css = static_file("app.css")
    assert "@import" not in css
    assert "url(" not in css
    assert "http" not in css.replace("http://www.w3.org", "")
    assert css.count("{") == css.count("}")


def test_stylesheet_uses_the_house_colours_and_focus_ring() -> None:
    css = static_file("app.css").lower()
    assert "#1e2b3c" in css
    assert "#0062ba" in css
    assert ":focus-visible" in css


@pytest.mark.parametrize("name", SCRIPTS)
def test_scripts_are_plain_and_self_contained(name: str) -> None:
    js = static_file(name)
    for forbidden in ("innerHTML", "outerHTML", "eval(", "new Function", "document.write",
                      "http:", "https:", "import ", "fetch(", "XMLHttpRequest"):  # fmt: skip
        assert forbidden not in js, f"{name} uses {forbidden}"
    assert '"use strict"' in js


def element_ids(js: str) -> set[str]:
    return set(re.findall(r"""getElementById\(\s*["']([^"']+)["']""", js))


def test_picker_script_finds_its_elements() -> None:
    doc = render_doc("picker.html", sample_contexts.picker_accountant())
    for element_id in element_ids(static_file("picker.js")):
        assert doc.by_id(element_id) is not None, f"#{element_id} is not on the page"


def test_picker_script_messages_come_from_the_page() -> None:
    doc = render_doc("picker.html", sample_contexts.picker_accountant())
    root = doc.one("div", id="picker")
    names = set(re.findall(r"""message\(\s*["']([a-z-]+)["']""", static_file("picker.js")))
    assert names
    for name in names:
        text = root.get(f"data-msg-{name}")
        assert text, f"data-msg-{name} missing on #picker"
    for name in ("filtered", "selected", "subunits"):
        assert "{" in (root.get(f"data-msg-{name}") or ""), "the pattern reaches the script"


@pytest.mark.parametrize(
    "context", [sample_contexts.login_testid(), sample_contexts.picker()], ids=["login", "picker"]
)
def test_deadline_script_finds_its_elements_and_messages(context: dict[str, object]) -> None:
    template = "picker.html" if "listing" in context else "login_testid.html"
    doc = render_doc(template, context)
    js = static_file("deadline.js")
    for element_id in element_ids(js):
        assert doc.by_id(element_id) is not None, f"#{element_id} is not on the page"
    notice = doc.one("p", id="deadline")
    for name in re.findall(r"""["'](data-msg-[a-z-]+)["']""", js):
        assert "{minutes}" in (notice.get(name) or "") or name.endswith("last-minute")
    assert "/static/deadline.js" in [s.get("src") for s in doc.find_all("script")]


def test_form_post_script_finds_its_form() -> None:
    doc = render_doc("form_post.html", sample_contexts.form_post())
    for element_id in element_ids(static_file("form_post.js")):
        element = doc.by_id(element_id)
        assert element is not None
        assert element.tag == "form"
        assert element.has("data-auto-submit")


def test_favicon_is_a_plain_svg() -> None:
    svg = (static_directory() / "favicon.svg").read_text("utf-8")
    assert svg.startswith("<svg")
    assert "<script" not in svg
    assert "href" not in svg
