"""The organisation picker's page: the form contract automation relies on, accessible
markup, and the list cut into pages with the choices kept."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from ansattporten.flows.picker_groups import PickerState
from authz_sources import Party

from . import sample_contexts
from .htmltree import Document, Element
from .rendering import render, render_doc


def listed(context: dict[str, Any]) -> list[Any]:
    found = []
    for group in context["listing"].groups:
        found.append(group.party)
        found.extend(group.subunits)
    return found


def picker_form(doc: Document, context: dict[str, Any]) -> Element:
    return doc.one("form", action=context["form_action"], method="post")


@pytest.mark.parametrize("multiple", [False, True])
def test_party_inputs(multiple: bool) -> None:
    context = sample_contexts.picker(multiple=multiple)
    doc = render_doc("picker.html", context)
    inputs = picker_form(doc, context).find_all("input", name="party")
    assert {i.get("type") for i in inputs} == {"checkbox" if multiple else "radio"}
    assert all(re.fullmatch(r"\d{9}", i.get("value") or "") for i in inputs)
    assert [i.get("value") for i in inputs] == [p.orgno for p in listed(context) if p.selectable]
    assert not any(i.has("checked") for i in inputs)
    assert not any(i.has("required") for i in inputs), "a hidden required radio blocks the form"


def test_labels_show_name_orgno_type_and_deleted() -> None:
    context = sample_contexts.picker()
    doc = render_doc("picker.html", context)
    for party in listed(context):
        if not party.selectable:
            continue
        box = doc.one("input", name="party", value=party.orgno)
        text = doc.one("label", for_=box.id or "").text()
        assert party.name in text
        assert f"{party.orgno[:3]} {party.orgno[3:6]} {party.orgno[6:]}" in text
        assert party.unit_type in text
        assert ("Slettet" in text) == party.is_deleted


def test_main_units_with_their_subunits_in_norwegian_order() -> None:
    context = sample_contexts.picker()
    doc = render_doc("picker.html", context)
    groups = doc.find_all("li", predicate=lambda e: "org-group" in e.classes)
    mains = [g.find("div").get("data-orgno") for g in groups]  # type: ignore[union-attr]
    assert mains == [g.party.orgno for g in context["listing"].groups]
    fjord = groups[0]
    subs = fjord.one("ul", predicate=lambda e: "org-subunits" in e.classes)
    assert subs.get("aria-label") == "Underenheter av Fjordbris Regnskap AS"
    names = [li.get("data-name") for li in subs.find_all("li")]
    assert names == [
        "Fjordbris Regnskap AS avd. Bergen",
        "Fjordbris Regnskap AS avd. Tromsø",
        "Fjordbris Regnskap AS avd. Ålesund",
    ]


def test_non_selectable_main_unit_is_a_heading_not_an_input() -> None:
    doc = render_doc("picker.html", sample_contexts.picker())
    blocked = sample_contexts.orgno(5)
    assert doc.find("input", value=blocked) is None
    entry = doc.one("div", predicate=lambda e: e.get("data-orgno") == blocked)
    assert "org--heading" in entry.classes


def test_a_lone_choice_is_preselected_for_a_radio_only() -> None:
    solo = [Party(orgno=sample_contexts.orgno(7), name="Kari Nordmann Konsult", unit_type="ENK")]
    doc = render_doc("picker.html", sample_contexts.picker(parties=solo))
    assert doc.one("input", name="party").has("checked")
    assert doc.find("input", name="q") is None, "nothing to search among"
    many = render_doc("picker.html", sample_contexts.picker(parties=solo, multiple=True))
    assert not many.one("input", name="party").has("checked")


@pytest.mark.parametrize("allow_self", [False, True])
def test_buttons(allow_self: bool) -> None:
    context = sample_contexts.picker(allow_self=allow_self)
    doc = render_doc("picker.html", context)
    form = picker_form(doc, context)
    buttons = form.find_all("button")
    assert buttons[0].get("name") == "search", "Enter in the search field searches"
    assert form.one("button", name="choose").get("type") == "submit"
    self_buttons = doc.find_all("button", name="self")
    assert len(self_buttons) == int(allow_self)
    if allow_self:
        assert self_buttons[0].get("value") == "1"
        assert self_buttons[0].text() == "Representer meg selv"
        assert self_buttons[0].closest("form") is form


def test_self_button_in_english() -> None:
    doc = render_doc("picker.html", sample_contexts.picker("en", allow_self=True))
    assert doc.one("button", name="self").text() == "Act on my own behalf"


def test_search_is_part_of_the_picker_form() -> None:
    """So ticks go along with a search, with or without JavaScript."""
    context = sample_contexts.picker(state=PickerState(query="bergen"))
    doc = render_doc("picker.html", context)
    q = doc.one("input", name="q")
    assert q.get("type") == "search"
    assert q.get("value") == "bergen"
    assert q.closest("form") is picker_form(doc, context)
    button = doc.one("button", name="search")
    assert button.get("type") == "submit"
    assert doc.one("label", for_="q").text() == "Søk etter virksomhet"
    assert doc.one("a", class_="picker__show-all").get("href") == context["form_action"] + "?"
    kept = sample_contexts.picker_accountant(
        state=PickerState(query="x", chosen=sample_contexts.CHOSEN)
    )
    show_all = render_doc("picker.html", kept).one("a", class_="picker__show-all").get("href")
    assert show_all == "/organisation/0f3c9a?chosen={}&chosen={}".format(*sample_contexts.CHOSEN)


def test_keyboard_instructions_for_radios_and_checkboxes() -> None:
    for multiple, words in ((False, "piltastene"), (True, "Tab-tasten")):
        doc = render_doc("picker.html", sample_contexts.picker(multiple=multiple))
        fieldset = doc.one("fieldset")
        hint = doc.by_id(fieldset.get("aria-describedby") or "")
        assert hint is not None
        assert words in hint.text()


def test_hundreds_of_organisations_are_paged_with_every_one_in_the_data() -> None:
    context = sample_contexts.picker_accountant()
    doc = render_doc("picker.html", context)
    inputs = doc.find_all("input", name="party")
    assert 0 < len(inputs) <= sample_contexts.PAGE_SIZE
    assert doc.one("p", id="picker-count").text() == f"Viser {len(inputs)} av 400"
    assert doc.by_id("picker-truncated") is not None
    pager = doc.one("div", id="picker-pager")
    assert pager.one("p").text() == "Side 1 av 8"
    assert [b.get("name") for b in pager.find_all("button")] == ["page", "all"]
    assert pager.one("button", name="page").get("value") == "2"
    assert pager.one("button", name="all").text() == "Vis alle 400 på én side"
    data = json.loads(doc.one("script", id="picker-data").text())
    orgnos = {g[0] for g in data} | {s[0] for g in data for s in g[5]}
    assert orgnos == {p.orgno for p in sample_contexts.accountant_parties()}
    assert "org-list--scroll" not in doc.one("div", id="org-list").classes
    picker = doc.one("div", id="picker")
    assert picker.get("data-total") == "400"
    assert picker.get("data-truncated") == "true"
    assert [s.get("src") for s in doc.find_all("script") if s.get("src")] == [
        "/static/picker.js",
        "/static/deadline.js",
    ]


def test_a_short_list_is_whole_without_pages_or_data() -> None:
    doc = render_doc("picker.html", sample_contexts.picker())
    assert doc.by_id("picker-truncated") is None
    assert doc.by_id("picker-pager") is None
    assert doc.by_id("picker-data") is None
    assert doc.one("p", id="picker-count").text() == "Viser 6 av 6"


def test_choices_made_elsewhere_are_kept_ticked_and_listed() -> None:
    state = PickerState(page=3, chosen=sample_contexts.CHOSEN)
    context = sample_contexts.picker_accountant(state=state)
    doc = render_doc("picker.html", context)
    for orgno in sample_contexts.CHOSEN:
        assert doc.one("input", name="party", value=orgno).has("checked")
    chosen = doc.one("div", id="picker-chosen")
    assert not chosen.has("hidden")
    assert chosen.one("p").text() == "Valgt: 2"
    names = [p.name for p in context["listing"].chosen]
    assert [li.text().split(" 810")[0] for li in chosen.find_all("li")] == names
    pager = doc.one("div", id="picker-pager")
    assert [b.get("value") for b in pager.find_all("button", name="page")] == ["2", "4"]


def test_show_all_shows_every_organisation() -> None:
    doc = render_doc(
        "picker.html", sample_contexts.picker_accountant(state=PickerState(show_all=True))
    )
    assert len(doc.find_all("input", name="party")) == 400
    pager = doc.one("div", id="picker-pager")
    assert pager.one("button", name="page").text() == "Vis listen i sider"


def test_search_with_no_results_says_so() -> None:
    context = sample_contexts.picker(state=PickerState(query="xyz"), allow_self=True)
    doc = render_doc("picker.html", context)
    assert doc.find_all("input", name="party") == []
    message = doc.one("p", id="picker-no-matches")
    assert not message.has("hidden")
    assert "«xyz»" in message.text()
    assert doc.one("p", id="picker-count").text() == "0 av 6 passer med søket."
    assert doc.find("button", name="self") is not None


def test_nothing_to_choose() -> None:
    context = sample_contexts.picker(parties=[])
    doc = render_doc("picker.html", context)
    assert doc.find("input", name="q") is None
    assert doc.find("button", name="choose") is None
    assert doc.one("div", class_="empty-state").text().startswith("Du har ingen virksomheter")
    assert doc.find("form", action=context["cancel_action"]) is not None


def test_names_and_query_are_escaped_also_in_the_data() -> None:
    evil = Party(orgno="999999999", name='</script><img src=x onerror="alert(1)">', unit_type="AS")
    others = sample_contexts.small_parties()
    context = sample_contexts.picker(
        parties=[evil, *others], state=PickerState(query='"><script>alert(1)</script>')
    )
    html = render("picker.html", context)
    assert "<img" not in html
    assert "<script>alert" not in html
    doc = render_doc("picker.html", context)
    assert doc.one("input", name="q").get("value") == context["query"]
    data = json.loads(doc.one("script", id="picker-data").text())
    assert evil.name in [group[1] for group in data]


def test_deadline_is_said_and_warned_of() -> None:
    doc = render_doc("picker.html", sample_contexts.picker())
    notice = doc.one("p", id="deadline")
    assert notice.text() == "Du må fullføre innloggingen innen 14 minutter."
    assert notice.get("data-expires-in") == "840"
    assert notice.get("data-expired-url") == "/login/0f3c9a"
    assert "{minutes}" in (notice.get("data-msg-warning") or "")
    warning = doc.one("div", id="deadline-warning")
    assert warning.get("role") == "alert"
    assert warning.has("hidden")
