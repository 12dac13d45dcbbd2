"""The picker's list: search over all organisations, pages, kept choices."""

from __future__ import annotations

from ansattporten.flows.picker_groups import (
    PickerState,
    browser_list,
    picker_list,
    picker_query,
    picker_state,
)
from authz_sources import Party


def party(orgno: int, name: str, parent: int | None = None, **extra: object) -> Party:
    return Party(
        orgno=f"{orgno:09d}",
        name=name,
        parent_orgno=f"{parent:09d}" if parent else None,
        **extra,  # type: ignore[arg-type]
    )


CLIENTS = [party(100 + i, f"Klient {i:03d} AS") for i in range(120)] + [
    party(900, "Ærlig Regnskap AS"),
    party(901, "Ærlig Regnskap AS avd. Bergen", parent=900),
    party(902, "Ærlig Regnskap AS avd. Oslo", parent=900),
    party(903, "Åpen Holding AS", selectable=False),
    party(904, "Åpen Drift", parent=903),
    party(905, "Ørland Fisk AS"),
]


def test_state_from_an_address_or_a_form() -> None:
    pairs = [
        ("q", " bergen "),
        ("q", "ignored"),
        ("page", "3"),
        ("chosen", "000000100"),
        ("party", "000000101"),
        ("chosen", "000000100"),
        ("chosen", "12345"),
        ("page", "x"),
        ("all", "1"),
    ]
    state = picker_state(pairs)
    assert state == PickerState("bergen", 3, True, ("000000100", "000000101"))
    assert picker_state([("page", "0")]).page == 1
    assert picker_state([("q", "x" * 500)]).query == "x" * 100


def test_address_of_a_state_round_trips() -> None:
    state = PickerState("bø i vesterålen", 2, False, ("000000100", "000000905"))
    query = picker_query(state)
    assert query == "q=b%C3%B8+i+vester%C3%A5len&page=2&chosen=000000100&chosen=000000905"
    from urllib.parse import parse_qsl

    assert picker_state(parse_qsl(query)) == state
    assert picker_query(PickerState(show_all=True, page=4)) == "all=1"


def test_groups_in_norwegian_order() -> None:
    listing = picker_list(CLIENTS, PickerState(show_all=True), 50)
    tail = [group.party.name for group in listing.groups[-3:]]
    assert tail == ["Ærlig Regnskap AS", "Ørland Fisk AS", "Åpen Holding AS"]
    assert [p.name for p in listing.groups[-3].subunits] == [
        "Ærlig Regnskap AS avd. Bergen",
        "Ærlig Regnskap AS avd. Oslo",
    ]


def test_pages_keep_groups_together_and_count_what_can_be_chosen() -> None:
    first = picker_list(CLIENTS, PickerState(), 50)
    assert (first.total, first.matching, first.shown) == (125, 125, 50)
    assert (first.page, first.pages, first.truncated) == (1, 3, True)
    last = picker_list(CLIENTS, PickerState(page=99), 50)
    assert last.page == 3
    assert "000000900" in last.visible
    assert {"000000901", "000000902"} <= last.visible, "a group is never split"
    assert "000000903" in last.visible, "a heading-only main unit is shown with its sub-unit"
    assert last.shown == 125 - 100
    every = picker_list(CLIENTS, PickerState(show_all=True), 50)
    assert every.shown == 125
    assert not every.truncated
    assert len(every.visible) == every.listed == 126


def test_search_covers_every_organisation_not_only_the_first_page() -> None:
    listing = picker_list(CLIENTS, PickerState(query="ørland"), 50)
    assert listing.visible == {"000000905"}
    assert (listing.matching, listing.shown, listing.pages) == (1, 1, 1)


def test_a_matching_sub_unit_brings_its_main_unit_as_context() -> None:
    listing = picker_list(CLIENTS, PickerState(query="avd. bergen"), 50)
    assert listing.visible == {"000000900", "000000901"}
    assert listing.matching == 1


def test_a_matching_main_unit_brings_its_sub_units() -> None:
    listing = picker_list(CLIENTS, PickerState(query="ærlig"), 50)
    assert listing.visible == {"000000900", "000000901", "000000902"}


def test_search_by_number_with_spaces() -> None:
    listing = picker_list(CLIENTS, PickerState(query="000 000 905"), 50)
    assert listing.visible == {"000000905"}


def test_chosen_organisations_stay_in_view_and_only_offered_ones_count() -> None:
    state = PickerState(query="ørland", chosen=("000000100", "000000903", "999999999"))
    listing = picker_list(CLIENTS, state, 50)
    assert [p.orgno for p in listing.chosen] == ["000000100"], "not selectable, not offered"
    assert listing.visible == {"000000905", "000000100"}
    assert listing.shown == 1, "chosen ones from elsewhere are not counted as results"


def test_the_browser_gets_every_organisation() -> None:
    data = browser_list(picker_list(CLIENTS, PickerState(), 50).groups)
    assert len(data) == 123
    assert data[-1] == ["000000903", "Åpen Holding AS", "", False, False, [
        ["000000904", "Åpen Drift", "", False, True]]]  # fmt: skip
