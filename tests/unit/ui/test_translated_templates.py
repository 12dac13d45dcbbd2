"""Compile-time translation of constant `t("key")` calls (`web/translated_templates`).

The rewritten templates must render exactly what the plain templates render, for every
sample context in every locale; only constant calls inside Jinja code are rewritten.
"""

from __future__ import annotations

from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader

from ansattporten.web.i18n import Translator, templates_directory
from ansattporten.web.translated_templates import (
    TranslatingLoader,
    jinja_string,
    translate_constant_calls,
)

from .rendering import cases, render

TRANSLATOR = Translator("nb", [{"a.b": "Tekst", "odd": 'sitat " og \\ og\nlinje æøå {x}'}])


def translating_environment(translator: Translator) -> Environment:
    loader = TranslatingLoader(FileSystemLoader(templates_directory()), translator)
    return Environment(loader=loader, autoescape=True)


@pytest.mark.parametrize(("locale", "template", "index", "context"), list(cases()))
def test_a_template_renders_as_the_plain_template_does(
    locale: str, template: str, index: int, context: dict[str, Any]
) -> None:
    translated = translating_environment(context["t"]).get_template(template)
    assert translated.render(**context) == render(template, context)


def test_a_constant_call_becomes_a_literal() -> None:
    assert translate_constant_calls('{{ t("a.b") }}', TRANSLATOR) == '{{ "Tekst" }}'
    assert translate_constant_calls("{% set x = t('a.b') %}", TRANSLATOR) == (
        '{% set x = "Tekst" %}'
    )


def test_calls_with_arguments_or_computed_keys_are_left_alone() -> None:
    for code in (
        '{{ t("a.b", n=1) }}',
        '{{ t("a.b" if x else "odd") }}',
        "{{ t(key) }}",
        '{{ ui.t("a.b") }}',
        '{{ hint("a.b") }}',
    ):
        assert translate_constant_calls(code, TRANSLATOR) == code


def test_text_outside_jinja_code_is_never_rewritten() -> None:
    source = '<p>t("a.b")</p>{# t("a.b") #}'
    assert translate_constant_calls(source, TRANSLATOR) == source


def test_a_literal_renders_the_translators_exact_text_escaped() -> None:
    environment = Environment(autoescape=True)
    expected = environment.from_string("{{ t('odd') }}").render(t=TRANSLATOR)
    rendered = environment.from_string("{{ " + jinja_string(TRANSLATOR("odd")) + " }}").render()
    assert rendered == expected
    assert "&#34;" in rendered
    assert "æøå" in rendered
