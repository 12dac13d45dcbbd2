"""The login pages: accessible markup, strict-CSP-safe, forms that keep their contract."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from ansattporten.web.i18n import locales_directory, static_directory, templates_directory

from . import sample_contexts
from .htmltree import Document, Element
from .rendering import TEMPLATES, cases, render, render_doc, undefined_names

CASES = list(cases())
CASE_IDS = [f"{template}-{index}-{locale}" for locale, template, index, _ in CASES]

UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
COMMON_OPTIONAL = {"language_links"}
OPTIONAL_CONTEXT = {
    "picker.html": COMMON_OPTIONAL | {"search_params"},
    "message.html": COMMON_OPTIONAL | {"message_args", "back_url"},
}
"""Context names a page may be rendered without."""


def nb_catalogue() -> dict[str, str]:
    data: dict[str, str] = json.loads((locales_directory() / "nb.json").read_text("utf-8"))
    return data


def en_catalogue() -> dict[str, str]:
    data: dict[str, str] = json.loads((locales_directory() / "en.json").read_text("utf-8"))
    return data


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
    links = [{"lang": code, "href": f"?ui_locales={code}"} for code in ("nb", "nn", "en", "se")]
    context = sample_contexts.samples("en")[template][0] | {"language_links": links}
    doc = render_doc(template, context)
    nav = doc.one("nav")
    assert nav.get("aria-label") == "Language"
    current = nav.one("span", lang="en")
    assert current.get("aria-current") == "true"
    assert [a.get("hreflang") for a in nav.find_all("a")] == ["nb", "nn", "se"]
    assert nav.one("a", lang="se").text() == "Sámegiella"


# Translation keys -------------------------------------------------------------------------

T_CALL = re.compile(r"""\bt\(\s*(["'])([^"']+)\1""")
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
KEY_LITERAL = re.compile(r"""["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")


def template_keys() -> set[str]:
    keys: set[str] = set()
    for path in templates_directory().glob("*.html"):
        source = path.read_text("utf-8")
        keys |= {match[1] for match in T_CALL.findall(source)}
        for tag in JINJA_TAG.findall(source):
            keys |= {
                key
                for key in KEY_LITERAL.findall(tag)
                if not key.endswith((".html", ".js", ".css"))
            }
    return keys


def test_template_key_scan_finds_keys() -> None:
    keys = template_keys()
    assert {
        "login.title",
        "picker.count",
        "error.generic",
        "error.title",
        "picker.title_multiple",
    } <= keys


@pytest.mark.parametrize("catalogue", [nb_catalogue, en_catalogue], ids=["nb", "en"])
def test_every_template_key_is_translated(catalogue: Any) -> None:
    missing = template_keys() - set(catalogue())
    assert missing == set()


def sample_keys() -> set[str]:
    keys = {str(option["label_key"]) for option in sample_contexts.ACR_OPTIONS}
    for contexts in sample_contexts.samples().values():
        for context in contexts:
            keys |= {
                context[k] for k in ("title_key", "message_key", "error_key") if context.get(k)
            }
    return keys


@pytest.mark.parametrize("catalogue", [nb_catalogue, en_catalogue], ids=["nb", "en"])
def test_keys_passed_in_context_are_translated(catalogue: Any) -> None:
    assert sample_keys() - set(catalogue()) == set()


@pytest.mark.parametrize(("locale", "template", "index", "context"), CASES, ids=CASE_IDS)
def test_no_untranslated_keys_or_placeholders_shown(
    locale: str, template: str, index: int, context: dict[str, Any]
) -> None:
    doc = render_doc(template, context)
    visible = doc.one("body").text()
    assert not re.search(r"\b(common|login|picker|error|message|form_post)\.[a-z_.]+\b", visible)
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


# Organisation picker ----------------------------------------------------------------------


def parties(context: dict[str, Any]) -> list[Any]:
    found = []
    for group in context["groups"]:
        found.append(group["party"])
        found.extend(group["subunits"])
    return found


def choose_form(doc: Document, context: dict[str, Any]) -> Element:
    return doc.one("form", action=context["form_action"], method="post")


@pytest.mark.parametrize("multiple", [False, True])
def test_picker_party_inputs(multiple: bool) -> None:
    context = sample_contexts.picker(multiple=multiple)
    doc = render_doc("picker.html", context)
    form = choose_form(doc, context)
    inputs = form.find_all("input", name="party")
    assert inputs, "no party inputs"
    assert {i.get("type") for i in inputs} == {"checkbox" if multiple else "radio"}
    assert all(re.fullmatch(r"\d{9}", i.get("value") or "") for i in inputs)
    selectable = [p.orgno for p in parties(context) if p.selectable]
    assert [i.get("value") for i in inputs] == selectable
    assert not any(i.has("checked") for i in inputs)


def test_picker_labels_show_name_orgno_type_and_deleted() -> None:
    context = sample_contexts.picker()
    doc = render_doc("picker.html", context)
    for party in parties(context):
        if not party.selectable:
            continue
        box = doc.one("input", name="party", value=party.orgno)
        label = doc.one("label", for_=box.id or "")
        text = label.text()
        assert party.name in text
        assert f"{party.orgno[:3]} {party.orgno[3:6]} {party.orgno[6:]}" in text
        assert party.unit_type in text
        assert ("Slettet" in text) == party.is_deleted


def test_picker_groups_main_units_and_indented_subunits() -> None:
    context = sample_contexts.picker()
    doc = render_doc("picker.html", context)
    groups = doc.find_all("li", predicate=lambda e: "org-group" in e.classes)
    assert len(groups) == len(context["groups"])
    for element, group in zip(groups, context["groups"], strict=True):
        main = element.find_all(predicate=lambda e: "org--main" in e.classes)
        assert len(main) == 1
        assert group["party"].name in main[0].text()
        has_input = main[0].find("input") is not None
        assert has_input == group["party"].selectable
        sub_list = element.find("ul")
        if group["subunits"]:
            assert sub_list is not None
            assert "org-subunits" in sub_list.classes
            assert sub_list.get("aria-label")
            items = sub_list.find_all("li")
            assert all(s.name in li.text() for s, li in zip(group["subunits"], items, strict=True))
        else:
            assert sub_list is None


def test_picker_non_selectable_main_unit_is_a_heading_not_an_input() -> None:
    context = sample_contexts.picker()
    doc = render_doc("picker.html", context)
    blocked = next(g["party"] for g in context["groups"] if not g["party"].selectable)
    assert doc.find("input", value=blocked.orgno) is None
    entry = doc.one("div", predicate=lambda e: e.get("data-orgno") == blocked.orgno)
    assert "org--heading" in entry.classes
    assert blocked.name in entry.text()


def test_picker_preselects_a_lone_choice() -> None:
    solo = sample_contexts.small_groups()[2]
    doc = render_doc("picker.html", sample_contexts.picker(groups=[solo], shown=1, total=1))
    assert doc.one("input", name="party").has("checked")
    many = render_doc("picker.html", sample_contexts.picker(groups=[solo], multiple=True))
    assert not many.one("input", name="party").has("checked")


@pytest.mark.parametrize("allow_self", [False, True])
def test_picker_buttons(allow_self: bool) -> None:
    context = sample_contexts.picker(allow_self=allow_self)
    doc = render_doc("picker.html", context)
    form = choose_form(doc, context)
    buttons = form.find_all("button")
    assert buttons[0].get("name") == "choose", "choose must be the default button"
    assert buttons[0].get("type") == "submit"
    self_buttons = doc.find_all("button", name="self")
    if allow_self:
        assert len(self_buttons) == 1
        button = self_buttons[0]
        assert button.get("value") == "1"
        assert button.get("type") == "submit"
        assert button.has("formnovalidate"), "a required radio must not block 'represent myself'"
        assert button.text() == "Representer meg selv"
        assert button.closest("form") is form
    else:
        assert self_buttons == []


def test_picker_self_button_in_english() -> None:
    doc = render_doc("picker.html", sample_contexts.picker("en", allow_self=True))
    assert doc.one("button", name="self").text() == "Represent myself"


def test_picker_search_is_a_get_form() -> None:
    context = sample_contexts.picker(query="bergen")
    doc = render_doc("picker.html", context)
    q = doc.one("input", name="q")
    assert q.get("type") == "search"
    assert q.get("value") == "bergen"
    form = q.closest("form")
    assert form is not None
    assert form.get("method") == "get"
    assert form.get("action") == context["search_action"]
    assert form.one("button").get("type") == "submit"
    assert form.find("input", name="party") is None
    assert doc.one("label", for_="q").text() == "Søk etter virksomhet"
    assert doc.one("a", class_="picker__show-all").get("href") == context["search_action"]


def test_picker_search_keeps_extra_parameters() -> None:
    context = sample_contexts.picker(search_params={"interaction": "0f3c9a"}, query="x")
    doc = render_doc("picker.html", context)
    form = doc.one("input", name="q").closest("form")
    assert form is not None
    assert form.one("input", name="interaction").get("value") == "0f3c9a"
    show_all = doc.one("a", class_="picker__show-all").get("href")
    assert show_all == context["search_action"] + "?interaction=0f3c9a"


def test_picker_many_organisations() -> None:
    context = sample_contexts.picker_accountant()
    doc = render_doc("picker.html", context)
    assert doc.one("p", id="picker-count").text() == "Viser 50 av 312"
    assert doc.by_id("picker-truncated") is not None
    org_list = doc.one("div", id="org-list")
    assert "org-list--scroll" in org_list.classes
    inputs = doc.find_all("input", name="party")
    assert len(inputs) == len(parties(context))
    assert {i.get("type") for i in inputs} == {"checkbox"}
    assert not any(i.has("required") for i in inputs), "required on checkboxes means all"
    notices = doc.one("div", class_="alert alert--info").text()
    assert notices == context["notices"][0]
    assert doc.by_id("picker-selected") is not None
    picker = doc.one("div", id="picker")
    assert picker.get("data-total") == "312"
    assert picker.get("data-truncated") == "true"
    assert picker.get("data-msg-count") == "Viser {shown} av {total}"
    scripts = [s.get("src") for s in doc.find_all("script")]
    assert scripts == ["/static/picker.js"]


def test_picker_short_list_is_not_truncated_or_scrolling() -> None:
    doc = render_doc("picker.html", sample_contexts.picker())
    assert doc.by_id("picker-truncated") is None
    assert "org-list--scroll" not in doc.one("div", id="org-list").classes
    assert doc.one("p", id="picker-count").text() == "Viser 7 av 7"
    assert doc.find("div", class_="alert alert--info") is None


def test_picker_no_results_for_query() -> None:
    context = sample_contexts.picker(groups=[], shown=0, total=0, query="xyz", allow_self=True)
    doc = render_doc("picker.html", context)
    assert doc.find_all("input", name="party") == []
    assert doc.find("button", name="choose") is None
    assert doc.find("button", name="self") is not None
    assert "«xyz»" in doc.one("div", class_="empty-state").text()


def test_picker_nothing_to_choose() -> None:
    context = sample_contexts.picker(groups=[], shown=0, total=0)
    doc = render_doc("picker.html", context)
    assert doc.find("form", action=context["form_action"], method="post") is None
    assert doc.find("input", name="q") is None, "nothing to search among"
    assert doc.one("div", class_="empty-state").text().startswith("Du har ingen virksomheter")
    assert doc.find("form", action=context["cancel_action"]) is not None


def test_picker_escapes_names_and_query() -> None:
    evil = sample_contexts.Party("810000074", '<img src=x onerror="alert(1)">', "AS")
    context = sample_contexts.picker(
        groups=[{"party": evil, "subunits": []}], query='"><script>alert(1)</script>'
    )
    html = render("picker.html", context)
    assert "<img" not in html
    assert "<script>alert" not in html
    doc = render_doc("picker.html", context)
    assert doc.one("input", name="q").get("value") == context["query"]


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
    details = doc.one("details")
    assert details.one("summary").text() == "Teknisk informasjon"
    assert context["message_args"]["reason"] in details.text()


def test_error_page_for_an_untrusted_request() -> None:
    context = sample_contexts.error_untrusted()
    doc = render_doc("error.html", context)
    assert doc.one("h1").text() == "Ugyldig forespørsel fra tjenesten"
    assert [a.get("href") for a in doc.find_all("a")] == ["#main"], "no way back"
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


def test_fallback_in_rendered_page() -> None:
    """Northern Sámi has only a few texts; the rest comes from bokmål."""
    doc = render_doc("login_testid.html", sample_contexts.login_testid("se"))
    assert doc.one("html").get("lang") == "se"
    form = doc.one("form", action=sample_contexts.login_testid()["form_action"])
    assert form.one("button", type="submit").text() == "Čálit sisa"
    assert doc.one("label", for_="pid").text() == "Fødselsnummer for testperson"
