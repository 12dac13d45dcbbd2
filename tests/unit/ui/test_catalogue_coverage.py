"""Every text in every language: each catalogue has every key bokmål has, and every key
the pages can show (templates, the flows' message keys, the scripts' messages) is in
every catalogue. Missing Northern Sámi or nynorsk texts used to fall back to bokmål
silently; now they fail here."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ansattporten.web.i18n import SUPPORTED_LOCALES, locales_directory, templates_directory

from . import sample_contexts

ROOT = Path(__file__).resolve().parents[3]
PYTHON_SOURCES = ("ansattporten/flows", "ansattporten/web", "ansattporten/eid")
NAMESPACES = ("common", "login", "picker", "error", "message", "form_post", "logout",
              "deadline", "language")  # fmt: skip
KEY = re.compile(rf"""["']((?:{"|".join(NAMESPACES)})(?:\.[a-z0-9_]+)+)["']""")
T_CALL = re.compile(r"""\bt\(\s*(["'])([^"']+)\1""")
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def catalogue(locale: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((locales_directory() / f"{locale}.json").read_text("utf-8"))
    return {key: text for key, text in data.items() if not key.startswith("@")}


def template_keys() -> set[str]:
    keys: set[str] = set()
    for path in templates_directory().glob("*.html"):
        source = path.read_text("utf-8")
        keys |= {match[1] for match in T_CALL.findall(source)}
        for tag in JINJA_TAG.findall(source):
            keys |= {key for key in KEY.findall(tag) if not key.endswith((".html", ".js"))}
    return keys


def python_keys() -> set[str]:
    """Message keys the provider's code names: error pages, notices, eID errors."""
    keys: set[str] = set()
    for folder in PYTHON_SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            found = KEY.findall(path.read_text("utf-8"))
            keys |= {key for key in found if not key.endswith((".html", ".js", ".css"))}
    return keys


def sample_keys() -> set[str]:
    keys = {str(option["label_key"]) for option in sample_contexts.ACR_OPTIONS}
    for contexts in sample_contexts.samples().values():
        for context in contexts:
            keys |= {
                context[k] for k in ("title_key", "message_key", "error_key") if context.get(k)
            }
    return keys


def test_the_scans_find_keys() -> None:
    assert {"login.title", "picker.count", "error.title", "deadline.warning"} <= template_keys()
    assert {
        "error.transaction_expired",
        "error.register_unavailable",
        "error.hpr_not_eligible",
        "picker.notice.choose_one",
        "login.error.invalid_pid",
        "language.changed",
        "error.rate_limited",
    } <= python_keys()


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalogue_has_every_key_bokmal_has(locale: str) -> None:
    missing = set(catalogue("nb")) - set(catalogue(locale))
    extra = set(catalogue(locale)) - set(catalogue("nb"))
    assert (missing, extra) == (set(), set())


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("keys", [template_keys, python_keys, sample_keys])
def test_every_key_in_use_is_in_the_catalogue(locale: str, keys: Any) -> None:
    assert keys() - set(catalogue(locale)) == set()


@pytest.mark.parametrize("locale", ["nn", "se", "en"])
def test_texts_are_translated_not_copied(locale: str) -> None:
    """A few texts are the same in two languages (names, "Feil:"), but a catalogue that
    is mostly bokmål is not a translation."""
    reference = catalogue("nb")
    same = [key for key, text in catalogue(locale).items() if text == reference[key]]
    assert len(same) < len(reference) * (0.4 if locale == "nn" else 0.1), same


def test_sami_catalogue_says_it_needs_a_native_review() -> None:
    data = json.loads((locales_directory() / "se.json").read_text("utf-8"))
    first_key = next(iter(data))
    assert first_key.startswith("@")
    assert "native" in data[first_key]
    assert "review" in data[first_key]


# The other pages people see: the mock upstreams' and the example services' ----------------

FAMILIES = {
    "upstream mocks": (ROOT / "ansattporten/upstream_mocks/locales", "ansattporten/upstream_mocks"),
    "example services": (ROOT / "examples/common/texts", "examples"),
}
USED = re.compile(r"""\bt\(\s*f?["']([a-z][a-z0-9_.-]*[a-z0-9_])["']""")


def family_catalogue(folder: Path, locale: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((folder / f"{locale}.json").read_text("utf-8"))
    return {key: text for key, text in data.items() if not key.startswith("@")}


def family_keys(sources: str) -> set[str]:
    keys: set[str] = set()
    for path in (ROOT / sources).rglob("*"):
        if path.suffix in {".py", ".html"}:
            keys |= set(USED.findall(path.read_text("utf-8")))
    return keys


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_other_catalogues_are_complete(family: str, locale: str) -> None:
    folder, sources = FAMILIES[family]
    reference = family_catalogue(folder, "nb")
    assert set(family_catalogue(folder, locale)) == set(reference)
    used = {key for key in family_keys(sources) if "{" not in key}
    assert used, "the scan finds the keys in use"
    assert used - set(family_catalogue(folder, locale)) == set()


@pytest.mark.parametrize("family", FAMILIES)
def test_other_sami_catalogues_are_sami(family: str) -> None:
    folder, _ = FAMILIES[family]
    data = json.loads((folder / "se.json").read_text("utf-8"))
    assert "native" in data[next(iter(data))]
    bokmal = family_catalogue(folder, "nb")
    same = [
        key
        for key, text in family_catalogue(folder, "se").items()
        if text == bokmal[key] and re.search(r"[a-zæøå]{4}", text)
    ]
    assert len(same) <= 2, same
