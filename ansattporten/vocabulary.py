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
