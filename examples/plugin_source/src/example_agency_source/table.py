"""The agency's register, reduced to a table so the example needs no server.

A real source would ask its register here (over HTTP, a database, a queue); the rest of
the package would not change. Identity numbers are synthetic (month + 80).
"""

from __future__ import annotations

from typing import Final, NamedTuple


class Holding(NamedTuple):
    orgno: str
    name: str
    unit_type: str
    permits: tuple[str, ...]


PERMITS: Final = ("fishing", "hunting", "export")

HOLDINGS: Final[dict[str, tuple[Holding, ...]]] = {
    "14838010041": (
        Holding("310000001", "FJORDFISK AS", "AS", ("fishing", "export")),
        Holding("310000002", "FJORDFISK AS AVD LOFOTEN", "BEDR", ("fishing",)),
    ),
    "02898513850": (Holding("310000003", "SKOG OG VILT SA", "SA", ("hunting",)),),
}
"""National identity number -> the organisations the person acts for, with permits."""
