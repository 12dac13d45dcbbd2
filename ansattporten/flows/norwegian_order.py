"""Sorting and searching organisation names the way a Norwegian reader expects.

Norwegian order puts Æ, Ø and Å after Z, in that order (code-point order would give
Å, Æ, Ø, and case-folding alone leaves them mixed with foreign letters). This follows
the Norwegian collation of the Unicode CLDR: Ä sorts with Æ, Ö with Ø, Ü with Y, the
double letter AA with Å (old spellings such as "Aasen"), and other accented letters
with their base letter.

A search matches a name when every word of the query is in it, or when the query
without spaces is in the name without spaces; digits (with or without spaces, as in
"912 345 678") match the organisation number. `ui/static/picker.js` filters the same
way in the browser.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Final

_AFTER_Z: Final = {
    "æ": "{",
    "ä": "{",
    "ø": "|",
    "ö": "|",
    "œ": "|",
    "å": "}",
    "ü": "y",
}
"""Letters placed after z (`{`, `|`, `}` follow `z` in ASCII) or with another letter."""


@functools.lru_cache(maxsize=4096)
def _fold(letter: str) -> str:
    placed = _AFTER_Z.get(letter)
    if placed is not None:
        return placed
    base = unicodedata.normalize("NFD", letter)[0]
    return base if base.isascii() else letter


def sort_key(name: str) -> tuple[str, str]:
    """The key that sorts `name` in Norwegian order (ties broken by the exact text)."""
    folded = " ".join(name.casefold().split()).replace("aa", "å")
    return "".join(_fold(letter) for letter in folded), name


def normalise(text: str) -> str:
    """Lower case with runs of white space made one space, as searches compare."""
    return " ".join(text.casefold().split())


def name_matches(name: str, orgno: str, query: str) -> bool:
    """Does an organisation called `name` with number `orgno` match the search `query`
    (already normalised)?"""
    if not query:
        return True
    compact = query.replace(" ", "")
    if compact.isdigit() and compact in orgno:
        return True
    folded = normalise(name)
    if compact in folded.replace(" ", ""):
        return True
    return all(term in folded or (term.isdigit() and term in orgno) for term in query.split())
