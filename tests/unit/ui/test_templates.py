"""The login pages: accessible markup, strict-CSP-safe, forms that keep their contract."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from ansattporten.web.i18n import static_directory

from . import sample_contexts
from .htmltree import Document, Element
from .rendering import TEMPLATES, cases, render, render_doc, undefined_names

CASES = list(cases())
CASE_IDS = [f"{template}-{index}-{locale}" for locale, template, index, _ in CASES]

UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
COMMON_OPTIONAL = {"language_next"}
DEADLINE = {"expires_in", "deadline_url"}
OPTIONAL_CONTEXT = {
    "login_testid.html": COMMON_OPTIONAL | DEADLINE | {"other_eids_url"},
    "eid_selector.html": COMMON_OPTIONAL | DEADLINE | {"cancelled_label", "notices"},
    "picker.html": COMMON_OPTIONAL | DEADLINE,
    "message.html": COMMON_OPTIONAL | {"message_args", "back_url"},
}
"""Context names a page may be rendered without."""


def labelled(doc: Document, control: Element) -> bool:
    if control.get("aria-labelledby") or control.get("aria-label"):
        return True
    if control.closest("label") is not None:
        return True
    if control.id is None:
        return False
    return any(label.text() for label in doc.find_all("label", for_=control.id))


def post_forms(doc: Document) -> list[Element]:
    return [f for f in doc.find_all("form") if (f.get("method") or "").lower() == "post"]


def csrf_inputs(form: Element) -> list[Element]:
    return form.find_all("input", name="csrf_token")


# Every page ------------------------------------------------------------------------------


@pytest.mark.parametrize(("locale", "template", "index", "context"), CASES, ids=CASE_IDS)
def test_page_skeleton(locale: str, template: str, index: int, context: dict[str, Any]) -> None:
    doc = render_doc(template, context)
    assert doc.problems == []
    assert doc.doctype is not None
    assert doc.doctype.lower() == "doctype html"
    assert doc.one("html").get("lang") == locale
    assert doc.one("meta", name="viewport").get("content") == "width=device-width, initial-scale=1"
    assert doc.one("link", rel="stylesheet").get("href") == "/static/app.css"
    assert doc.one("title").text().endswith("Ansattporten")
    assert doc.one("header").text().startswith("Ansattporten")
    assert len(doc.find_all("main")) == 1
    assert len(doc.find_all("footer")) == 1
    assert len(doc.find_all("h1")) == 1
    assert doc.one("h1").text()
    skip = doc.find_all("a")[0]
    assert skip.get("href") == "#main"


@pytest.mark.parametrize(("locale", "template", "index", "context"), CASES, ids=CASE_IDS)
def test_strict_csp(locale: str, template: str, index: int, context: dict[str, Any]) -> None:
    doc = render_doc(template, context)
    assert doc.find_all("style") == []
    for script in doc.find_all("script"):
        if script.get("type") == "application/json":
            assert script.get("src") is None
            json.loads(script.text())  # data for a script, never run (CSP does not apply)
            continue
        src = script.get("src")
        assert src, "inline script"
        assert script.text() == ""
        assert script.has("defer")
        assert src.startswith("/static/")
        assert (static_directory() / src.removeprefix("/static/")).is_file()
    for element in doc.iter():
        for name, value in element.attrs.items():
            assert not name.startswith("on"), f"event handler {name} on {element}"
            assert name != "style", f"inline style on {element}"
            if name in {"href", "src", "action", "formaction"}:
                assert not (value or "").strip().lower().startswith("javascript:")
    for link in doc.find_all("link"):
        assert (link.get("href") or "").startswith("/static/"), "external resource"


@pytest.mark.parametrize(("locale", "template", "index", "context"), CASES, ids=CASE_IDS)
def test_controls_are_labelled(
    locale: str, template: str, index: int, context: dict[str, Any]
) -> None:
    doc = render_doc(template, context)
    for control in doc.find_all(predicate=lambda e: e.tag in {"input", "select", "textarea"}):
        if (control.get("type") or "text") in UNLABELLED_INPUT_TYPES:
            continue
        assert labelled(doc, control), f"no label for {control}"
    for button in doc.find_all("button"):
        assert button.get("type") in {"submit", "button"}
        assert button.text(), f"button without text: {button}"
    for radio in doc.find_all("input", type="radio"):
        fieldset = radio.closest("fieldset")
        assert fieldset is not None, "radio outside a fieldset"
        legend = fieldset.find("legend")
        assert legend is not None
        assert legend.text()


@pytest.mark.parametrize(("locale", "template", "index", "context"), CASES, ids=CASE_IDS)
def test_ids_unique_and_references_resolve(
    locale: str, template: str, index: int, context: dict[str, Any]
) -> None:
    doc = render_doc(template, context)
    ids = [e.id for e in doc.iter() if e.id is not None]
    assert len(ids) == len(set(ids)), "duplicate id"
    for element in doc.iter():
        for name in ("for", "aria-describedby", "aria-labelledby", "aria-controls"):
            for ref in (element.get(name) or "").split():
                assert doc.by_id(ref) is not None, f"{name}={ref!r} on {element} points nowhere"
        href = element.get("href") or ""
        if element.tag == "a" and href.startswith("#"):
            assert doc.by_id(href[1:]) is not None, f"link to missing #{href[1:]}"


@pytest.mark.parametrize(("locale", "template", "index", "context"), CASES, ids=CASE_IDS)
def test_forms_carry_csrf_token(
    locale: str, template: str, index: int, context: dict[str, Any]
) -> None:
    doc = render_doc(template, context)
    for form in doc.find_all("form"):
        method = (form.get("method") or "").lower()
        assert method in {"get", "post"}, "form without explicit method"
        tokens = csrf_inputs(form)
        if method == "get":
            assert tokens == [], "CSRF token would leak into a URL"
        elif template == "form_post.html":
            assert tokens == [], "our CSRF token must not be posted to the client"
        else:
            assert len(tokens) == 1
            assert tokens[0].get("type") == "hidden"
            assert tokens[0].get("value") == sample_contexts.CSRF_TOKEN


@pytest.mark.parametrize(("locale", "template", "index", "context"), CASES, ids=CASE_IDS)
def test_only_documented_context_is_optional(
    locale: str, template: str, index: int, context: dict[str, Any]
) -> None:
    optional = OPTIONAL_CONTEXT.get(template, COMMON_OPTIONAL)
    assert undefined_names(template, context) <= optional


@pytest.mark.parametrize("template", TEMPLATES)
def test_language_menu(template: str) -> None:
    context = sample_contexts.samples("en")[template][0] | {"language_next": "/login/x?q=a&b=c"}
    doc = render_doc(template, context)
    navs = doc.find_all("nav")
    if template == "form_post.html":
        assert navs == [], "the hand-over page has nothing to switch"
        return
    nav = doc.one("nav", class_="language-menu")
    assert nav.get("aria-label") == "Language"
    current = nav.one("span", lang="en")
    assert current.get("aria-current") == "true"
    links = nav.find_all("a")
    assert [a.get("hreflang") for a in links] == ["nb", "nn", "se"]
    assert [a.get("lang") for a in links] == ["nb", "nn", "se"]
    assert nav.one("a", lang="se").text() == "Davvisámegiella"
    assert nav.one("a", lang="nb").get("href") == "/language?lang=nb&next=/login/x%3Fq%3Da%26b%3Dc"


@pytest.mark.parametrize("template", TEMPLATES)
def test_language_menu_without_a_way_back(template: str) -> None:
    doc = render_doc(template, sample_contexts.samples("nb")[template][0])
    for link in doc.find_all("a", predicate=lambda e: (e.get("href") or "").startswith("/lang")):
        assert link.get("href") == f"/language?lang={link.get('lang')}"


# Translation keys (which keys exist: test_catalogue_coverage.py) ---------------------


@pytest.mark.parametrize(("locale", "template", "index", "context"), CASES, ids=CASE_IDS)
def test_no_untranslated_keys_or_placeholders_shown(
    locale: str, template: str, index: int, context: dict[str, Any]
) -> None:
    doc = render_doc(template, context)
    visible = doc.one("body").text()
    namespaces = "common|login|picker|error|message|form_post|logout|deadline|language"
    assert not re.search(rf"\b({namespaces})\.[a-z_.]+\b", visible)
    assert "{" not in visible


# Login with TestID ------------------------------------------------------------------------


def test_login_form() -> None:
    context = sample_contexts.login_testid()
    doc = render_doc("login_testid.html", context)
    form = doc.one("form", action=context["form_action"])
    assert form.get("method") == "post"

    pid = form.one("input", name="pid")
    assert pid.get("id") == "pid"
    assert pid.get("type") == "text"
    assert pid.get("inputmode") == "numeric"
    assert pid.get("autocomplete") == "off"
    assert pid.get("aria-invalid") is None
    pattern = re.compile(pid.get("pattern") or "")
    assert pattern.fullmatch("01819012345")
    assert not pattern.fullmatch("0181901234")
    assert not pattern.fullmatch("018190123456")
    assert not pattern.fullmatch("0181901234a")
    hint = doc.by_id(pid.get("aria-describedby") or "")
    assert hint is not None
    assert "80" in hint.text()
    assert doc.one("label", for_="pid").text() == "Fødselsnummer for testperson"

    radios = form.find_all("input", type="radio")
    assert [r.get("name") for r in radios] == ["acr", "acr"]
    assert [r.get("value") for r in radios] == ["idporten-loa-substantial", "idporten-loa-high"]
    assert [r.has("checked") for r in radios] == [True, False]
    fieldset = radios[0].closest("fieldset")
    assert fieldset is not None
    assert fieldset.one("legend").text() == "Sikkerhetsnivå"
    assert doc.one("label", for_=radios[1].id or "").text().startswith("Høyt")

    submit = form.one("button", type="submit")
    assert submit.text() == "Logg inn"
    assert doc.find("div", class_="error-summary") is None
    assert not doc.one("title").text().startswith("Feil")


def test_login_cancel_is_a_separate_form() -> None:
    context = sample_contexts.login_testid()
    doc = render_doc("login_testid.html", context)
    cancel = doc.one("form", action=context["cancel_action"])
    assert cancel.get("method") == "post"
    assert cancel.find("input", name="pid") is None
    assert cancel.one("button").text() == "Avbryt"


def test_login_error_is_summarised_and_tied_to_the_field() -> None:
    context = sample_contexts.login_testid(error_key="login.error.invalid_pid")
    doc = render_doc("login_testid.html", context)
    message = "Skriv inn et gyldig fødselsnummer med 11 siffer."
    summary = doc.one("div", id="error-summary")
    assert summary.get("role") == "alert"
    assert summary.has("autofocus")
    link = summary.one("a")
    assert link.get("href") == "#pid"
    assert link.text() == message
    pid = doc.one("input", name="pid")
    assert pid.get("aria-invalid") == "true"
    described = (pid.get("aria-describedby") or "").split()
    assert "pid-error" in described
    error = doc.by_id("pid-error")
    assert error is not None
    assert message in error.text()
    assert doc.one("title").text().startswith("Feil:")


def test_login_acr_error_is_tied_to_the_radios() -> None:
    context = sample_contexts.login_testid(error_key="login.error.invalid_acr")
    doc = render_doc("login_testid.html", context)
    assert doc.one("div", id="error-summary").one("a").get("href") == "#acr-1"
    fieldset = doc.one("fieldset")
    assert "acr-error" in (fieldset.get("aria-describedby") or "").split()
    assert all(r.get("aria-invalid") == "true" for r in fieldset.find_all("input"))
    assert doc.one("input", name="pid").get("aria-invalid") is None
    assert doc.by_id("pid-error") is None


def test_login_without_acr_options_has_no_empty_fieldset() -> None:
    doc = render_doc("login_testid.html", sample_contexts.login_testid(acr_options=[]))
    assert doc.find_all("fieldset") == []


def test_login_escapes_client_name() -> None:
    context = sample_contexts.login_testid(client_name='<script>alert("x")</script>')
    html = render("login_testid.html", context)
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


# Error, message and form_post -------------------------------------------------------------


def test_error_page() -> None:
    context = sample_contexts.error()
    doc = render_doc("error.html", context)
    assert doc.one("h1").text() == "Du har ikke tilgang", "specific title from the message key"
    assert doc.one("title").text() == "Du har ikke tilgang – Ansattporten"
    lead = doc.one("p", class_="lead").text()
    assert lead == "Opplysningene i registeret gir deg ikke tilgang til denne tjenesten."
    back = doc.one("a", href=context["back_url"])
    assert back.text() == "Tilbake til tjenesten"
    assert context["request_id"] in doc.one("p", class_="request-id").text()
    reason = doc.one("p", class_="reason")
    assert reason.text() == "Begrunnelse: " + context["message_args"]["reason"]
    assert reason.closest("details") is None, "the reason is for the person, not folded away"
    assert doc.find("details") is None


def test_error_page_for_an_untrusted_request() -> None:
    context = sample_contexts.error_untrusted()
    doc = render_doc("error.html", context)
    assert doc.one("h1").text() == "Ugyldig forespørsel fra tjenesten"
    links = [a.get("href") or "" for a in doc.find_all("a")]
    assert [href for href in links if not href.startswith("/language?")] == ["#main"], "no way back"
    assert context["message_args"]["detail"] in doc.one("details").text()


def test_error_page_explicit_title_wins() -> None:
    context = sample_contexts.error(title_key="error.server_error.title")
    assert render_doc("error.html", context).one("h1").text() == "Teknisk feil"


def test_error_page_generic_title_when_nothing_specific() -> None:
    context = sample_contexts.error(message_key="error.unknown_code_xyz")
    doc = render_doc("error.html", context)
    assert doc.one("h1").text() == "Noe gikk galt"


def test_error_page_defaults_without_back_url_or_request_id() -> None:
    context = sample_contexts.error(
        title_key=None, message_key=None, back_url=None, request_id=None, message_args=None
    )
    doc = render_doc("error.html", context)
    assert doc.one("h1").text() == "Noe gikk galt"
    assert doc.one("p", class_="lead").text().startswith("Vi klarte ikke")
    assert doc.find("p", class_="request-id") is None
    assert doc.find("details") is None
    assert doc.find("a", class_="button button--secondary") is None


def test_error_page_escapes_arguments() -> None:
    context = sample_contexts.error(message_args={"reason": "<b>Evil</b>", "detail": "<i>x</i>"})
    html = render("error.html", context)
    assert "<b>Evil</b>" not in html
    assert "<i>x</i>" not in html
    assert "&lt;b&gt;Evil&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "key",
    [
        "error.bad_request",
        "error.not_found",
        "error.server_error",
        "error.transaction_finished",
        "error.transaction_unknown",
        "error.transaction_expired",
        "error.transaction_other_browser",
        "error.csrf",
        "error.untrusted_request",
        "error.register_unavailable",
        "error.no_representation",
        "error.self_not_allowed",
        "error.choice_not_eligible",
        "error.person_not_eligible",
    ],
)
def test_error_codes_the_flows_use_have_titles_and_messages(key: str) -> None:
    for locale in ("nb", "en"):
        doc = render_doc("error.html", sample_contexts.error(locale, message_key=key))
        assert doc.one("h1").text() != sample_contexts.common(locale)["t"]("error.title")
        assert doc.one("p", class_="lead").text() != key


def test_form_post() -> None:
    context = sample_contexts.form_post(params={"code": "abc", "state": '"><script>x</script>'})
    doc = render_doc("form_post.html", context)
    form = doc.one("form")
    assert form.get("method") == "post"
    assert form.get("action") == context["redirect_uri"]
    assert form.has("data-auto-submit")
    hidden = {i.get("name"): i.get("value") for i in form.find_all("input", type="hidden")}
    assert hidden == context["params"]
    button = form.one("button")
    assert button.get("type") == "submit"
    assert button.closest("noscript") is None, "visible for browsers without JavaScript too"
    assert [s.get("src") for s in doc.find_all("script")] == ["/static/form_post.js"]


def test_message_page() -> None:
    doc = render_doc("message.html", sample_contexts.message("en"))
    assert doc.one("h1").text() == "You are logged out"
    assert doc.find("form") is None


@pytest.mark.parametrize("template", TEMPLATES)
def test_sami_pages_are_in_sami(template: str) -> None:
    """Every text a page shows differs from its bokmål page, except names, numbers and
    the few words that are the same in both (TestID, Ansattporten)."""
    for nb_context, se_context in zip(
        sample_contexts.samples("nb")[template],
        sample_contexts.samples("se")[template],
        strict=True,
    ):
        nb_doc = render_doc(template, nb_context)
        se_doc = render_doc(template, se_context)
        assert se_doc.one("html").get("lang") == "se"
        nb_texts = {
            e.text() for e in nb_doc.iter() if e.tag in {"h1", "p", "label", "button", "legend"}
        }
        for element in se_doc.iter():
            shown = element.closest("details") is None  # the developers' detail stays as sent
            if shown and element.tag in {"h1", "p", "label", "button", "legend"} and element.text():
                text = element.text()
                assert (
                    text not in nb_texts
                    or not re.search(r"[a-zæøå]{4}", text.lower())
                    or ("orgno" in " ".join(element.classes))
                ), f"{template}: {text!r} is the bokmål text"
