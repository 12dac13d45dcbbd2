"""Norwegian organisation numbers (Enhetsregisteret) and how tokens name an organisation.

A client's organisation number becomes the access token's `consumer` claim, in the
ISO 6523 notation ID-porten and Maskinporten use: authority `iso6523-actorid-upis`, the
ID `0192:<orgno>` (0192 is the ICD of Enhetsregisteret, the only one in use).
"""

from __future__ import annotations

from typing import Final

from ansattporten.spec.norwegian_pid import mod11_check_digit

__all__ = ["ISO6523_AUTHORITY", "is_valid_orgno", "iso6523_actor"]

_WEIGHTS: Final = (3, 2, 7, 6, 5, 4, 3, 2)
ISO6523_AUTHORITY: Final = "iso6523-actorid-upis"
_ENHETSREGISTERET_ICD: Final = "0192"


def is_valid_orgno(value: str) -> bool:
    """Nine ASCII digits whose last digit is the mod-11 check digit of the first eight."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    return mod11_check_digit(value[:8], _WEIGHTS) == int(value[8])


def iso6523_actor(orgno: str) -> dict[str, str]:
    """`{"authority": "iso6523-actorid-upis", "ID": "0192:<orgno>"}`, as in the
    `consumer` claim of ID-porten's access tokens."""
    return {"authority": ISO6523_AUTHORITY, "ID": f"{_ENHETSREGISTERET_ICD}:{orgno}"}
