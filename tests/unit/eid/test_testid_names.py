"""TestID's synthetic names: the same number always gets the same name, in capitals,
and different numbers get different names often enough to tell testers apart."""

from __future__ import annotations

from ansattporten.eid.testid_names import FAMILY_NAMES, GIVEN_NAMES, synthetic_name

NUMBERS = ["23865938772", "45840375084", "09868841440", "01810012345", "26829598841"]


def test_a_number_always_gets_the_same_name() -> None:
    assert [synthetic_name(pid) for pid in NUMBERS] == [synthetic_name(pid) for pid in NUMBERS]


def test_a_name_is_a_given_and_a_family_name_in_capitals() -> None:
    for pid in NUMBERS:
        given, family = synthetic_name(pid)
        assert given in GIVEN_NAMES
        assert family in FAMILY_NAMES
        assert given.isupper()
        assert family.isupper()


def test_different_numbers_mostly_get_different_names() -> None:
    names = {synthetic_name(f"0181001{index:04d}") for index in range(200)}
    assert len(names) > 150
