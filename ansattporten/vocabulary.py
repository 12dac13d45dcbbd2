"""Values the provider accepts and publishes, each written once: the levels of assurance
and the page languages. Discovery, validation, settings, the eID and the pages read
them from here."""

from __future__ import annotations

from typing import Final, Literal, get_args

ACR_SHORT_FORMS: Final = {
    "idporten-loa-substantial": "substantial",
    "idporten-loa-high": "high",
}
"""ID-porten's levels of assurance (`acr`), weakest first, with the short forms every
published Ansattporten token carries and that requests may use as aliases."""

ACR_LEVELS: Final = tuple(ACR_SHORT_FORMS)
ACR_FROM_SHORT_FORM: Final = {short: level for level, short in ACR_SHORT_FORMS.items()}

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
