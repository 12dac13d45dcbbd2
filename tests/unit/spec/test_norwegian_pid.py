"""Norwegian identity numbers: check digits, date offsets, synthetic numbers, masking."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansattporten.spec.norwegian_pid import is_synthetic, is_valid_pid, mask

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    """Independent restatement of the mod-11 rule, for building test numbers."""
    k = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return {11: 0, 10: None}.get(k, k)


def make_pid(day: int, month: int, year: int, rng: random.Random) -> str:
    """A number with valid check digits for the given (offset) day and month."""
    while True:
        first9 = f"{day:02d}{month:02d}{year % 100:02d}{rng.randrange(1000):03d}"
        k1 = check_digit(first9, W1)
        if k1 is None:
            continue
        k2 = check_digit(first9 + str(k1), W2)
        if k2 is None:
            continue
        return f"{first9}{k1}{k2}"


@pytest.fixture
def rng() -> random.Random:
    return random.Random(9126)


def test_ansattporten_example_pid_is_a_synthetic_d_number() -> None:
    # The pid in Ansattporten's published id_token example (day 45, month 84).
    assert is_valid_pid("45840375084")
    assert is_synthetic("45840375084")


def test_generated_synthetic_numbers(rng: random.Random) -> None:
    for day, month in [(1, 81), (31, 92), (15, 41), (28, 52)]:
        pid = make_pid(day, month, 1980, rng)
        assert is_valid_pid(pid), pid
        assert is_synthetic(pid)
        k1 = check_digit(pid[:9], W1)
        k2 = check_digit(pid[:10], W2)
        assert (k1, k2) == (int(pid[9]), int(pid[10]))


def test_generated_ordinary_and_d_numbers(rng: random.Random) -> None:
    for day, month in [(1, 1), (31, 12), (41, 6), (71, 12)]:
        pid = make_pid(day, month, 1975, rng)
        assert is_valid_pid(pid), pid
        assert not is_synthetic(pid)


@pytest.mark.parametrize(
    ("day", "month"),
    [(0, 1), (32, 1), (40, 1), (72, 1), (1, 0), (1, 13), (1, 40), (1, 53), (1, 80), (1, 93)],
)
def test_impossible_dates(day: int, month: int, rng: random.Random) -> None:
    assert not is_valid_pid(make_pid(day, month, 1990, rng))


def test_known_invalid() -> None:
    assert not is_valid_pid("12345678901")


def test_each_wrong_check_digit_is_caught(rng: random.Random) -> None:
    pid = make_pid(1, 1, 1980, rng)
    for position in (9, 10):
        for digit in "0123456789":
            if digit != pid[position]:
                changed = pid[:position] + digit + pid[position + 1 :]
                assert not is_valid_pid(changed)


@pytest.mark.parametrize(
    "value",
    ["", "4584037508", "458403750841", "4584037508a", "４５８４０３７５０８４", " 45840375084"],
)
def test_shape(value: str) -> None:
    assert not is_valid_pid(value)
    assert not is_synthetic(value)


def test_mask() -> None:
    assert mask("01018012345") == "010180*****"
    assert mask("45840375084") == "458403*****"
    assert mask("not a pid") == "*" * 11
    assert mask("123456789012345") == "*" * 11


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_valid_numbers_have_consistent_check_digits(value: str) -> None:
    if is_valid_pid(value):
        assert check_digit(value[:9], W1) == int(value[9])
        assert check_digit(value[:10], W2) == int(value[10])
    assert mask(value) == value[:6] + "*****"


@given(st.text())
def test_never_raises(value: str) -> None:
    is_valid_pid(value)
    is_synthetic(value)
    assert len(mask(value)) == 11
