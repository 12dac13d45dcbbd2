"""Page language and texts: catalogues in `employer_rules/locales/<locale>.json` (flat
objects, dotted keys, `str.format` placeholders), bokmål the reference. A key missing
in a locale falls back to bokmål, then English, then the key itself.

The language of a page is, in order: the switcher's `?lang=` (remembered in a cookie),
the OpenID-style `?ui_locales=`, the cookie, the browser's `Accept-Language`, the
configured default.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

LOCALES: Final = ("nb", "nn", "se", "en")
ENDONYMS: Final = {"nb": "Bokmål", "nn": "Nynorsk", "se": "Davvisámegiella", "en": "English"}
CATALOGUES: Final = Path(__file__).resolve().parents[1] / "locales"
_TAGS: Final = {
    "nb": "nb", "no": "nb", "nob": "nb", "nor": "nb",
    "nn": "nn", "nno": "nn",
    "se": "se", "sme": "se",
    "en": "en", "eng": "en",
}  # fmt: skip

Translator = Callable[..., str]


def locale_of(tag: str | None) -> str | None:
    """The supported locale a language tag means (`nb-NO`, `no`, `en_GB`, `sme`)."""
    if not tag:
        return None
    return _TAGS.get(tag.strip().replace("_", "-").split("-", 1)[0].lower())


def _accepted(header: str) -> list[str]:
    """`Accept-Language` tags by preference; q=0 means "not this one" (RFC 9110)."""
    weighted = []
    for position, item in enumerate(header.split(",")):
        tag, _, parameters = item.partition(";")
        quality = 1.0
        name, _, value = parameters.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        if quality > 0 and tag.strip():
            weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def choose_locale(
    *,
    switcher: str | None,
    ui_locales: str | None,
    cookie: str | None,
    accept_language: str | None,
    default: str,
) -> str:
    for candidate in (switcher, *(ui_locales or "").split(), cookie):
        if found := locale_of(candidate):
            return found
    for tag in _accepted(accept_language or ""):
        if found := locale_of(tag):
            return found
    return default


class Catalogues:
    def __init__(self, folder: Path = CATALOGUES) -> None:
        self.texts: dict[str, Mapping[str, str]] = {
            locale: json.loads((folder / f"{locale}.json").read_text("utf-8")) for locale in LOCALES
        }

    def text(self, locale: str, key: str) -> str:
        for source in (locale, "nb", "en"):
            found = self.texts.get(source, {}).get(key)
            if found is not None:
                return found
        return key

    def translator(self, locale: str) -> Translator:
        def translate(key: str, **values: object) -> str:
            text = self.text(locale, key)
            return text.format(**values) if values else text

        return translate
