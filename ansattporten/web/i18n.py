"""Message catalogues for the pages people see, and one translator per locale.

Catalogues are flat JSON objects (dotted key -> text) in `ui/locales/<locale>.json`, read
once at start-up. Norwegian bokmål is the default and the reference catalogue; English is
second. Every catalogue has every key bokmål has (a test holds them to it); should one
ever miss a key, it falls back to bokmål, then English, then the key itself, so a page
never fails because a text is missing. Keys starting with `@` are notes about the
catalogue (who wrote it, what needs review), not texts.

Texts are plain text, never markup: templates autoescape whatever a translator returns.
Placeholders use `str.format` syntax (`"Du logger inn på {client}."`); a placeholder the
caller does not fill is left as it is, which lets a template hand a pattern such as
`"Viser {shown} av {total}"` to a script that fills it in the browser.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

import msgspec

from ansattporten.vocabulary import LOCALES

SUPPORTED_LOCALES: Final[tuple[str, ...]] = LOCALES
"""Locales the pages can be shown in, in the order a language menu lists them."""

DEFAULT_LOCALE: Final = "nb"

FALLBACK_LOCALES: Final = ("nb", "en")
"""Where a key missing in the requested locale is looked up next, in order."""

_ALIASES: Final[Mapping[str, str]] = {
    # Plain "no" (and ISO 639-2 "nor"/"nob") is what most browsers send for bokmål.
    "nb": "nb",
    "no": "nb",
    "nob": "nb",
    "nor": "nb",
    "nn": "nn",
    "nno": "nn",
    "en": "en",
    "eng": "en",
    "se": "se",
    "sme": "se",
}


def ui_directory() -> Path:
    """The repository's `ui/` folder: templates, static assets and message catalogues."""
    return Path(__file__).resolve().parents[2] / "ui"


def templates_directory() -> Path:
    return ui_directory() / "templates"


def static_directory() -> Path:
    return ui_directory() / "static"


def locales_directory() -> Path:
    return ui_directory() / "locales"


def normalise_locale(tag: str) -> str | None:
    """The supported locale a language tag (`nb-NO`, `no`, `en_GB`, `sme`) means, if any."""
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return _ALIASES.get(primary)


def negotiate_locale(
    ui_locales: str | None = None,
    accept_language: str | None = None,
    default: str = DEFAULT_LOCALE,
) -> str:
    """Choose the locale for a page.

    `ui_locales` is the OpenID Connect request parameter (space-separated tags in order of
    preference) and wins over the browser's `Accept-Language` header, whose entries are
    ordered by their q-values (entries with q=0 are refused, as RFC 9110 says).
    """
    for tag in (ui_locales or "").split():
        if (locale := normalise_locale(tag)) is not None:
            return locale
    for tag in _accept_language_tags(accept_language or ""):
        if (locale := normalise_locale(tag)) is not None:
            return locale
    return default


def _accept_language_tags(header: str) -> list[str]:
    weighted: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, *params = (part.strip() for part in item.split(";"))
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


class _KeepMissing(dict[str, object]):
    """Format arguments where a placeholder nobody filled stays as `{name}`."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Translator:
    """`t(key, **kwargs) -> str`: the text for `key` in one locale, formatted with kwargs."""

    __slots__ = ("_chain", "locale")

    def __init__(self, locale: str, chain: Iterable[Mapping[str, str]]) -> None:
        self.locale = locale
        self._chain = tuple(chain)

    def __call__(self, key: str, /, **kwargs: object) -> str:
        template = self.lookup(key)
        if template is None:
            return key
        try:
            return template.format_map(_KeepMissing(kwargs))
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            # A malformed catalogue entry must not turn a login page into a 500.
            return template

    def lookup(self, key: str) -> str | None:
        """The unformatted text for `key` after fallback, or None if no catalogue has it."""
        for messages in self._chain:
            text = messages.get(key)
            if text is not None:
                return text
        return None

    def has(self, key: str) -> bool:
        return self.lookup(key) is not None

    def __repr__(self) -> str:
        return f"Translator({self.locale!r})"


class Catalogues:
    """Every locale's messages, with a ready translator per supported locale."""

    def __init__(self, messages: Mapping[str, Mapping[str, str]]) -> None:
        unknown = sorted(set(messages) - set(SUPPORTED_LOCALES))
        if unknown:
            raise ValueError(f"unsupported locale(s) in catalogues: {', '.join(unknown)}")
        self._messages: dict[str, dict[str, str]] = {
            locale: dict(entries) for locale, entries in messages.items()
        }
        self._translators: dict[str, Translator] = {}
        for locale in SUPPORTED_LOCALES:
            order = [locale, *(fallback for fallback in FALLBACK_LOCALES if fallback != locale)]
            chain = [self._messages[name] for name in order if name in self._messages]
            self._translators[locale] = Translator(locale, chain)

    @classmethod
    def load(cls, directory: Path) -> Catalogues:
        """Read `<locale>.json` for each catalogue in `directory`; each a flat string map."""
        messages: dict[str, dict[str, str]] = {}
        for path in sorted(directory.glob("*.json")):
            try:
                entries = msgspec.json.decode(path.read_bytes(), type=dict[str, str])
            except msgspec.DecodeError as exc:  # ValidationError is a DecodeError
                raise ValueError(f"{path}: not a flat JSON object of strings: {exc}") from exc
            messages[path.stem] = {k: v for k, v in entries.items() if not k.startswith("@")}
        if DEFAULT_LOCALE not in messages:
            raise ValueError(f"{directory}: no {DEFAULT_LOCALE}.json catalogue")
        return cls(messages)

    @property
    def locales(self) -> tuple[str, ...]:
        """Supported locales that have a catalogue of their own, in menu order."""
        return tuple(locale for locale in SUPPORTED_LOCALES if locale in self._messages)

    def messages(self, locale: str) -> Mapping[str, str]:
        """One locale's own entries, without fallback (empty if it has no catalogue)."""
        return self._messages.get(locale, {})

    def translator(self, locale: str) -> Translator:
        """The translator for `locale` (a language tag is normalised; unknown -> bokmål)."""
        found = self._translators.get(locale)
        if found is not None:
            return found
        return self._translators[normalise_locale(locale) or DEFAULT_LOCALE]


@functools.cache
def default_catalogues() -> Catalogues:
    """The repository's catalogues (`ui/locales`), read on first use and kept."""
    return Catalogues.load(locales_directory())
