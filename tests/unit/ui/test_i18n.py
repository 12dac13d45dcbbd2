"""Message catalogues and translators: fallback, formatting, locale negotiation."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest

from ansattporten.web.i18n import (
    SUPPORTED_LOCALES,
    Catalogues,
    Translator,
    default_catalogues,
    locales_directory,
    negotiate_locale,
    normalise_locale,
    ui_directory,
)


def write(directory: Path, locale: str, messages: dict[str, str]) -> None:
    (directory / f"{locale}.json").write_text(json.dumps(messages), encoding="utf-8")


@pytest.fixture
def catalogues(tmp_path: Path) -> Catalogues:
    write(tmp_path, "nb", {"a": "nb a", "b": "nb b", "greet": "Hei, {name}!"})
    write(tmp_path, "en", {"a": "en a", "b": "en b", "c": "en c", "greet": "Hello, {name}!"})
    write(tmp_path, "nn", {"a": "nn a"})
    return Catalogues.load(tmp_path)


def test_supported_locales() -> None:
    assert SUPPORTED_LOCALES == ("nb", "nn", "en", "se")


def test_ui_directory_is_the_repositorys_ui_folder() -> None:
    ui = ui_directory()
    assert ui.name == "ui"
    assert (ui / "templates" / "base.html").is_file()
    assert (ui / "locales" / "nb.json").is_file()
    assert (ui.parent / "pyproject.toml").is_file()


def test_own_locale_first(catalogues: Catalogues) -> None:
    assert catalogues.translator("nn")("a") == "nn a"
    assert catalogues.translator("en")("a") == "en a"
    assert catalogues.translator("nb")("a") == "nb a"


def test_nn_and_se_fall_back_to_bokmal_then_english_then_key(catalogues: Catalogues) -> None:
    for locale in ("nn", "se"):
        t = catalogues.translator(locale)
        assert t("b") == "nb b"
        assert t("c") == "en c"
        assert t("missing.key") == "missing.key"


def test_bokmal_falls_back_to_english_and_english_to_bokmal(tmp_path: Path) -> None:
    write(tmp_path, "nb", {"only_nb": "bare bokmål"})
    write(tmp_path, "en", {"only_en": "English only"})
    loaded = Catalogues.load(tmp_path)
    assert loaded.translator("nb")("only_en") == "English only"
    assert loaded.translator("en")("only_nb") == "bare bokmål"


def test_formatting(catalogues: Catalogues) -> None:
    assert catalogues.translator("nb")("greet", name="Kari") == "Hei, Kari!"
    assert catalogues.translator("nn")("greet", name="Kari") == "Hei, Kari!"
    assert catalogues.translator("en")("greet", name="Kari") == "Hello, Kari!"


def test_unfilled_placeholder_is_kept(catalogues: Catalogues) -> None:
    """Templates hand unfilled patterns to scripts: "Viser {shown} av {total}"."""
    assert catalogues.translator("nb")("greet") == "Hei, {name}!"


def test_arguments_are_not_reformatted(catalogues: Catalogues) -> None:
    assert catalogues.translator("nb")("greet", name="{a} {0}") == "Hei, {a} {0}!"


def test_malformed_entry_does_not_raise(tmp_path: Path) -> None:
    write(tmp_path, "nb", {"bad": "{0} and {", "spec": "{n:d}"})
    t = Catalogues.load(tmp_path).translator("nb")
    assert t("bad") == "{0} and {"
    assert t("spec", n="x") == "{n:d}"
    assert t("spec", n=3) == "3"


def test_unknown_locale_and_language_tags(catalogues: Catalogues) -> None:
    assert catalogues.translator("de")("a") == "nb a"
    assert catalogues.translator("nn-NO")("a") == "nn a"
    assert catalogues.translator("en_GB")("a") == "en a"
    assert catalogues.translator("no")("a") == "nb a"
    assert catalogues.translator("de").locale == "nb"


def test_translators_are_built_once(catalogues: Catalogues) -> None:
    assert catalogues.translator("nb") is catalogues.translator("nb")
    assert isinstance(catalogues.translator("se"), Translator)


def test_lookup_and_has(catalogues: Catalogues) -> None:
    t = catalogues.translator("nn")
    assert t.lookup("greet") == "Hei, {name}!"
    assert t.has("c")
    assert not t.has("nope")
    assert t.lookup("nope") is None


def test_locales_and_messages(catalogues: Catalogues) -> None:
    assert catalogues.locales == ("nb", "nn", "en")
    assert catalogues.messages("nn") == {"a": "nn a"}
    assert catalogues.messages("se") == {}


def test_notes_in_a_catalogue_are_not_texts(tmp_path: Path) -> None:
    write(tmp_path, "nb", {"@review": "to be checked", "a": "nb a"})
    loaded = Catalogues.load(tmp_path)
    assert loaded.messages("nb") == {"a": "nb a"}
    assert loaded.translator("nb")("@review") == "@review"


def test_load_rejects_bad_catalogues(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"no nb\.json"):
        Catalogues.load(tmp_path)
    write(tmp_path, "nb", {"a": "b"})
    write(tmp_path, "de", {"a": "b"})
    with pytest.raises(ValueError, match="unsupported locale"):
        Catalogues.load(tmp_path)
    (tmp_path / "de.json").unlink()
    (tmp_path / "en.json").write_text('{"nested": {"a": "b"}}', encoding="utf-8")
    with pytest.raises(ValueError, match="flat JSON object"):
        Catalogues.load(tmp_path)


@pytest.mark.parametrize(
    ("ui_locales", "accept_language", "expected"),
    [
        (None, None, "nb"),
        ("en", "nb", "en"),
        ("de fr", "nn-NO,nn;q=0.9,en;q=0.5", "nn"),
        (None, "en-GB,en;q=0.9,nb;q=0.8", "en"),
        (None, "de;q=1, nb;q=0.4, en;q=0.7", "en"),
        (None, "en;q=0, no", "nb"),
        (None, "*", "nb"),
        ("se-NO", None, "se"),
        ("", "sme", "se"),
        (None, "en;q=abc, nn", "nn"),
    ],
)
def test_negotiate_locale(
    ui_locales: str | None, accept_language: str | None, expected: str
) -> None:
    assert negotiate_locale(ui_locales, accept_language) == expected


def test_normalise_locale() -> None:
    assert normalise_locale("NB-no") == "nb"
    assert normalise_locale("nno") == "nn"
    assert normalise_locale("sv") is None


# The repository's catalogues --------------------------------------------------------------


def raw_catalogue(locale: str) -> dict[str, str]:
    def no_duplicates(pairs: list[tuple[str, str]]) -> dict[str, str]:
        keys = [key for key, _ in pairs]
        duplicates = {key for key in keys if keys.count(key) > 1}
        assert not duplicates, f"{locale}.json repeats {duplicates}"
        return dict(pairs)

    text = (locales_directory() / f"{locale}.json").read_text("utf-8")
    data: dict[str, str] = json.loads(text, object_pairs_hook=no_duplicates)
    return {key: value for key, value in data.items() if not key.startswith("@")}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_repository_catalogues_load() -> None:
    loaded = default_catalogues()
    assert loaded.locales == SUPPORTED_LOCALES
    assert loaded.translator("nb")("login.title") == "Logg inn med TestID"
    assert loaded.translator("en")("login.title") == "Log in with TestID"
    assert loaded.translator("nb")("picker.count", shown=50, total=312) == "Viser 50 av 312"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalogue_entries_are_sound(locale: str) -> None:
    reference = raw_catalogue("nb")
    for key, text in raw_catalogue(locale).items():
        assert key == key.strip()
        assert "." in key, f"{key}: keys are dotted by page"
        assert text
        assert text == text.strip(), f"{locale}:{key} has surrounding whitespace"
        assert "<" not in text, f"{locale}:{key}: texts are plain text, never markup"
        assert placeholders(text) == placeholders(reference[key]), f"{locale}:{key}"
