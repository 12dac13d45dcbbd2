"""Render the UI templates the way the tests look at them."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from jinja2 import Environment, FileSystemLoader, Undefined
from jinja2.utils import missing

from ansattporten.web.i18n import SUPPORTED_LOCALES, static_directory, templates_directory

from . import sample_contexts
from .htmltree import Document, parse

TEMPLATES = (
    "login_testid.html",
    "picker.html",
    "error.html",
    "form_post.html",
    "message.html",
    "frontchannel_logout.html",
)


@functools.cache
def environment() -> Environment:
    """A plain environment, as the brief for these templates prescribes."""
    return Environment(loader=FileSystemLoader(templates_directory()), autoescape=True)


def render(template: str, context: dict[str, Any]) -> str:
    return environment().get_template(template).render(**context)


def render_doc(template: str, context: dict[str, Any]) -> Document:
    return parse(render(template, context))


def cases() -> Iterator[tuple[str, str, int, dict[str, Any]]]:
    """(locale, template, index, context) for every sample context in every locale."""
    for locale in SUPPORTED_LOCALES:
        for template, contexts in sample_contexts.samples(locale).items():
            for index, context in enumerate(contexts):
                yield locale, template, index, context


def undefined_names(template: str, context: dict[str, Any]) -> set[str]:
    """Top-level names the template looked up that the context does not define."""
    seen: set[str] = set()

    class Recording(Undefined):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if self._undefined_name is not None and self._undefined_obj is missing:
                seen.add(self._undefined_name)

    env = Environment(
        loader=FileSystemLoader(templates_directory()), autoescape=True, undefined=Recording
    )
    env.get_template(template).render(**context)
    return seen


def static_file(name: str) -> str:
    return (static_directory() / name).read_text(encoding="utf-8")
