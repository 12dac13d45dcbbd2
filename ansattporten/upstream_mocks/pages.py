"""The pages a person sees at a mock upstream, in nb, nn, se or en.

Texts live in small catalogues (`locales/<locale>.json`, flat key -> text); a key
missing in a locale falls back to bokmål, then English. The language comes from the
request's `ui_locales` (as at ID-porten) and can be changed with the language menu.
Templates autoescape; the CSP allows no inline script or style.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Response

HERE: Final = Path(__file__).parent
SUPPORTED_LOCALES: Final = ("nb", "nn", "se", "en")
DEFAULT_LOCALE: Final = "nb"
_ALIASES: Final[Mapping[str, str]] = {
    "nb": "nb", "no": "nb", "nob": "nb", "nor": "nb",
    "nn": "nn", "nno": "nn",
    "se": "se", "sme": "se",
    "en": "en", "eng": "en",
}  # fmt: skip
SECURITY_HEADERS: Final[Mapping[str, str]] = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

Translator = Callable[..., str]


def choose_locale(*preferences: str | None) -> str:
    """The first supported locale among space-separated tag lists, else bokmål."""
    for preference in preferences:
        for tag in (preference or "").split():
            primary = tag.replace("_", "-").split("-", 1)[0].lower()
            if primary in _ALIASES:
                return _ALIASES[primary]
    return DEFAULT_LOCALE


@functools.cache
def catalogues() -> dict[str, dict[str, str]]:
    return {
        locale: json.loads((HERE / "locales" / f"{locale}.json").read_text(encoding="utf-8"))
        for locale in SUPPORTED_LOCALES
    }


def translator(locale: str) -> Translator:
    chain = [catalogues()[name] for name in (locale, "nb", "en") if name in catalogues()]

    def t(key: str, **values: Any) -> str:
        for catalogue in chain:
            if key in catalogue:
                text = catalogue[key]
                return text.format(**values) if values else text
        return key

    return t


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def language_links(href_for: Callable[[str], str]) -> list[dict[str, str]]:
    return [{"lang": locale, "href": href_for(locale)} for locale in SUPPORTED_LOCALES]


def render(
    template: str,
    locale: str,
    *,
    status_code: int = 200,
    product: str,
    **context: Any,
) -> Response[str]:
    """An HTML page in `locale`; `product` names the mock in the title and header."""
    html = (
        _environment()
        .get_template(template)
        .render(lang=locale, t=translator(locale), product=product, **context)
    )
    return Response(
        html,
        status_code=status_code,
        media_type="text/html; charset=utf-8",
        headers=dict(SECURITY_HEADERS),
    )


def static_files() -> dict[str, tuple[bytes, str]]:
    """The mock's stylesheet and script, read once: name -> (body, media type)."""
    types = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
    folder = HERE / "static"
    return {
        path.name: (path.read_bytes(), types[path.suffix])
        for path in sorted(folder.iterdir())
        if path.suffix in types
    }


def first_values(items: Iterable[tuple[str, Any]]) -> tuple[dict[str, str], str | None]:
    """Parameters as a dict, and the name of the first one that was given twice
    (RFC 6749 3.1: parameters must not be included more than once)."""
    values: dict[str, str] = {}
    repeated: str | None = None
    for name, value in items:
        if name in values and repeated is None:
            repeated = name
        values.setdefault(name, str(value))
    return values, repeated
