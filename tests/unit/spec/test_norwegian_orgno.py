"""Organisation numbers and the ISO 6523 form tokens name them in."""

from __future__ import annotations

import pytest

from ansattporten.spec.norwegian_orgno import is_valid_orgno, iso6523_actor

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def with_check_digit(first_eight: str) -> str | None:
    """Independent restatement of Enhetsregisteret's rule, to build test numbers."""
    remainder = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS, strict=True)) % 11
    digit = 0 if remainder == 0 else 11 - remainder
    return None if digit == 10 else first_eight + str(digit)


@pytest.mark.parametrize("orgno", ["991825827", "974760673", "310000000"])
def test_real_and_constructed_numbers_are_valid(orgno: str) -> None:
    assert is_valid_orgno(orgno)


def test_every_eight_digit_prefix_agrees_with_the_rule() -> None:
    for n in range(10_000_000, 10_050_000, 7):
        number = with_check_digit(str(n))
        if number is None:
            continue
        assert is_valid_orgno(number)
        wrong = number[:8] + str((int(number[8]) + 1) % 10)
        assert not is_valid_orgno(wrong)


@pytest.mark.parametrize(
    "value", ["", "99182582", "9918258270", "99182582a", "99182582 ", "+91825827"]
)
def test_anything_but_nine_digits_is_refused(value: str) -> None:
    assert not is_valid_orgno(value)


def test_the_iso6523_form_of_an_enhetsregisteret_number() -> None:
    assert iso6523_actor("991825827") == {
        "authority": "iso6523-actorid-upis",
        "ID": "0192:991825827",
    }
