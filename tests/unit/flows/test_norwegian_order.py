"""Norwegian order and the picker's search rules."""

from __future__ import annotations

import pytest

from ansattporten.flows.norwegian_order import name_matches, normalise, sort_key


def ordered(names: list[str]) -> list[str]:
    return sorted(names, key=sort_key)


def test_ae_oe_aa_come_after_z_in_that_order() -> None:
    names = ["Åsen Bygg AS", "Ørsta Rør AS", "Ærfugl Fiske AS", "Zeta Data AS", "Alfa AS"]
    assert ordered(names) == [
        "Alfa AS",
        "Zeta Data AS",
        "Ærfugl Fiske AS",
        "Ørsta Rør AS",
        "Åsen Bygg AS",
    ]


def test_case_and_spacing_do_not_change_the_order() -> None:
    assert ordered(["bakeri øst", "Bakeri Vest", "BAKERI  NORD"]) == [
        "BAKERI  NORD",
        "Bakeri Vest",
        "bakeri øst",
    ]


def test_foreign_letters_sort_with_their_norwegian_neighbours() -> None:
    assert ordered(["Öberg AS", "Østby AS", "Ærø AS", "Äpple AS", "Yngve AS", "Über AS"]) == [
        "Über AS",  # Ü with Y
        "Yngve AS",
        "Äpple AS",  # Ä with Æ
        "Ærø AS",
        "Öberg AS",  # Ö with Ø
        "Østby AS",
    ]
    assert ordered(["Eik AS", "Élan AS", "Ekorn AS"]) == ["Eik AS", "Ekorn AS", "Élan AS"]


def test_double_a_is_the_old_spelling_of_aa() -> None:
    assert ordered(["Aasen AS", "Åmot AS", "Bø AS", "Ås AS"]) == [
        "Bø AS",
        "Åmot AS",
        "Ås AS",
        "Aasen AS",  # as "Åsen"
    ]


@pytest.mark.parametrize(
    ("query", "hit"),
    [
        ("", True),
        ("bergen", True),
        ("BERGEN bygg", True),
        ("bygg bergen", True),  # every word, in any order
        ("bergenbygg", True),  # spaces ignored
        ("berg bygg as 7", True),
        ("oslo", False),
        ("912 345 678", True),  # the number as it is printed
        ("912345678", True),
        ("345 6", True),
        ("912 999", False),
        ("bygg 912", True),  # a word of the name and part of the number
    ],
)
def test_search(query: str, hit: bool) -> None:
    assert name_matches("Bergen Bygg AS 7", "912345678", normalise(query)) is hit


def test_normalise() -> None:
    assert normalise("  Ærlig\t Bygg  AS ") == "ærlig bygg as"
