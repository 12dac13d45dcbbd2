"""Values the provider accepts and publishes, each written once: the levels of assurance
and the page languages. Discovery, validation, settings, the eIDs and the pages read
them from here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal, get_args

ACR_SHORT_FORMS: Final = {
    "idporten-loa-substantial": "substantial",
    "idporten-loa-high": "high",
}
"""ID-porten's levels of assurance (`acr`), weakest first, with the short forms every
published Ansattporten token carries and that requests may use as aliases."""

ACR_LEVELS: Final = tuple(ACR_SHORT_FORMS)
"""The national levels (MinID, BankID, Buypass, Commfides, TestID), weakest first."""
ACR_FROM_SHORT_FORM: Final = {short: level for level, short in ACR_SHORT_FORMS.items()}

EIDAS_LEVELS: Final = ("eidas-loa-substantial", "eidas-loa-high")
"""European eIDs reached through ID-porten's eIDAS node, weakest first. Asked for
explicitly: a request without them is never sent to the eIDAS path."""

ENTRAID: Final = "entraid"
"""Microsoft Entra ID work accounts (Ansattporten's pilot). Never implied: a service
asks for it with `acr_values`."""

LEVEL_FAMILIES: Final = (ACR_LEVELS, EIDAS_LEVELS)
"""Levels that rank within their family: a higher level satisfies a request for a
lower one of the same family (ID-porten treats `acr_values` as a minimum)."""

ACR_VALUES: Final = (*ACR_LEVELS, *EIDAS_LEVELS, ENTRAID)
"""Every level this provider knows, in the order discovery lists them."""


def satisfies(returned: str, requested: Iterable[str]) -> bool:
    """Whether an eID's `acr` meets one of the requested values: the value itself, or
    a higher level of the same family (`idporten-loa-high` meets a request for
    `idporten-loa-substantial`)."""
    for wanted in requested:
        if returned == wanted:
            return True
        for family in LEVEL_FAMILIES:
            if (
                wanted in family
                and returned in family
                and (family.index(returned) >= family.index(wanted))
            ):
                return True
    return False


def lowest_per_family(values: Iterable[str]) -> tuple[str, ...]:
    """The requested values as a minimum: the lowest level of each family, and every
    value outside the families, in the order given (ID-porten takes one eIDAS level)."""
    values = tuple(dict.fromkeys(values))
    kept: list[str] = []
    for value in values:
        family = next((f for f in LEVEL_FAMILIES if value in f), None)
        if family is None or all(
            family.index(value) <= family.index(other) for other in values if other in family
        ):
            kept.append(value)
    return tuple(kept)


Locale = Literal["nb", "nn", "en", "se"]
LOCALES: Final[tuple[Locale, ...]] = get_args(Locale)
"""Languages the pages are shown in (bokmål, nynorsk, English, Northern Sámi), in the
order a language menu lists them."""


def acr_satisfies(have: str, wanted: tuple[str, ...] | list[str]) -> bool:
    """Whether an authentication at level `have` serves a request that accepts the levels
    `wanted`: a level named there, or an ID-porten level at least as high as the lowest
    ID-porten level named (a session at "high" serves a request for "substantial", not
    the other way round). Levels outside ID-porten's order (another eID's own `acr`)
    serve only where they are named: they are not comparable."""
    if have in wanted:
        return True
    if have not in ACR_LEVELS:
        return False
    ranked = [ACR_LEVELS.index(level) for level in wanted if level in ACR_LEVELS]
    return bool(ranked) and ACR_LEVELS.index(have) >= min(ranked)
