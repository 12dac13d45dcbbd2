"""Norwegian organisation numbers (Enhetsregisteret): nine digits, the last a mod-11
check digit over the first eight with the weights 3, 2, 7, 6, 5, 4, 3, 2."""

from __future__ import annotations

from typing import Final

WEIGHTS: Final = (3, 2, 7, 6, 5, 4, 3, 2)


def check_digit(first_eight: str) -> int | None:
    """The check digit for eight digits, or None when none exists (remainder 1)."""
    remainder = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def is_valid_orgno(value: str) -> bool:
    """Nine ASCII digits whose last digit is the mod-11 check digit of the others."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    return check_digit(value[:8]) == int(value[8])
