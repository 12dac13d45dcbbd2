"""The example services speak the person's language, as a service should.

The language is the one the person chose with the service's language links (a cookie),
else the first of nb, nn, en, se that the browser's `Accept-Language` names, else
bokmål. The service then asks Ansattporten for the same language (`ui_locales`), so the
login continues in it. Texts are in `texts/<locale>.json` beside this file; a test
holds every language to bokmål's keys.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, Final

from litestar import Request

LOCALES: Final = ("nb", "nn", "en", "se")
ENDONYMS: Final = {"nb": "Bokmål", "nn": "Nynorsk", "se": "Davvisámegiella", "en": "English"}
COOKIE: Final = "example_lang"
TEXTS: Final = Path(__file__).parent / "texts"
_PRIMARY: Final = {"nb": "nb", "no": "nb", "nn": "nn", "en": "en", "se": "se", "sme": "se"}


@functools.cache
def catalogue(locale: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((TEXTS / f"{locale}.json").read_text("utf-8"))
    return {key: text for key, text in data.items() if not key.startswith("@")}


def text(locale: str, key: str, **values: Any) -> str:
    """The text for `key` in `locale` (bokmål if the key is missing), filled in."""
    found = catalogue(locale).get(key) or catalogue("nb").get(key) or key
    return found.format(**values) if values else found


def from_accept_language(header: str) -> str | None:
    """The supported language the browser prefers most (q-values respected)."""
    best: tuple[float, str] | None = None
    for item in header.split(",")[:20]:
        tag, _, rest = item.strip().partition(";")
        weight = 1.0
        if rest.strip().startswith("q="):
            try:
                weight = float(rest.strip()[2:])
            except ValueError:
                continue
        locale = _PRIMARY.get(tag.strip().lower().replace("_", "-").split("-")[0])
        if locale and weight > 0 and (best is None or weight > best[0]):
            best = (weight, locale)
    return best[1] if best else None


def locale_of(request: Request[Any, Any, Any]) -> str:
    chosen = request.cookies.get(COOKIE)
    if chosen in LOCALES:
        return chosen
    return from_accept_language(request.headers.get("accept-language", "")) or "nb"
