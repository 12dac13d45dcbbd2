"""Norwegian national identity numbers (fødselsnummer, D-number, synthetic test numbers).

The `pid` claim carries one of these. Checking the two mod-11 check digits and the date
catches typing errors in the test login form and corrupt data from an eID; `mask` is for
the places a human must recognise the person without seeing the whole number, because the
full number is personal data that must not reach logs or error pages.
"""

from __future__ import annotations

__all__ = ["is_synthetic", "is_valid_pid", "mask", "mod11_check_digit"]

_WEIGHTS_K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_WEIGHTS_K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

_D_NUMBER_DAY_OFFSET = 40
"""D-numbers (for people without a fødselsnummer) add 40 to the day."""

_SYNTHETIC_MONTH_OFFSETS = (80, 40)
"""Tenor synthetic test numbers add 80 to the month; older test numbers (and H-numbers) 40."""


def _is_eleven_digits(value: str) -> bool:
    return len(value) == 11 and value.isascii() and value.isdigit()


def mod11_check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    """The mod-11 check digit for `digits`, or None when no digit can satisfy it (the
    rule of national identity numbers and of organisation numbers alike)."""
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def is_valid_pid(value: str) -> bool:
    """Whether `value` is a plausible fødselsnummer, D-number or synthetic test number.

    Checks: exactly 11 ASCII digits; both mod-11 check digits; a day of 1–31 (after
    removing the D-number offset 40) and a month of 1–12 (after removing the synthetic
    offset 80 or 40). The date is checked loosely: the century would come from the
    individual number, so 31 February or 29 February in a non-leap year is not refused.
    """
    if not _is_eleven_digits(value):
        return False
    k1 = mod11_check_digit(value[:9], _WEIGHTS_K1)
    if k1 is None or k1 != int(value[9]):
        return False
    k2 = mod11_check_digit(value[:10], _WEIGHTS_K2)
    if k2 is None or k2 != int(value[10]):
        return False
    day = int(value[0:2])
    if day > _D_NUMBER_DAY_OFFSET:
        day -= _D_NUMBER_DAY_OFFSET
    month = int(value[2:4])
    for offset in _SYNTHETIC_MONTH_OFFSETS:
        if month > offset:
            month -= offset
            break
    return 1 <= day <= 31 and 1 <= month <= 12


def is_synthetic(value: str) -> bool:
    """Whether `value` is an 11-digit number whose month carries a test-number offset.

    Synthetic numbers (Tenor, +80; older test numbers, +40) exist only in test
    environments, so a production deployment can refuse them outright. Only the shape is
    looked at; use `is_valid_pid` for the check digits.
    """
    return _is_eleven_digits(value) and int(value[2:4]) > min(_SYNTHETIC_MONTH_OFFSETS)


def mask(pid: str) -> str:
    """The first six digits followed by five stars, e.g. `"010180*****"`.

    Anything that is not 11 digits is masked completely, so a malformed value never leaks.
    """
    if not _is_eleven_digits(pid):
        return "*" * 11
    return pid[:6] + "*****"
