"""Templates with their fixed texts translated once, when they are compiled.

Most `t(...)` calls in the templates name a constant key and pass no arguments: the text
is the same on every page view. Jinja calls each one through `Context.call` at render
time, which was most of the cost of rendering a page (two pages per login). This loader
rewrites such a call into a string literal holding the translator's own answer, so Jinja
folds it into the template's static text, still autoescaped. Calls with arguments or a
computed key (`t("a" if multiple else "b")`, `t("picker.count", shown=shown)`) are left
alone and go through the translator the page still gets as `t`.

One environment per locale, since the literal differs per locale.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from jinja2 import BaseLoader, Environment

from ansattporten.web.i18n import Translator

_JINJA_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
"""An expression or a statement; template text outside these is never rewritten."""

_CONSTANT_CALL = re.compile(r"""(?<![\w.])t\(\s*(["'])([A-Za-z0-9_.-]+)\1\s*\)""")
"""`t("key")` or `t('key')` and nothing more: a plain key, no other arguments."""


def jinja_string(text: str) -> str:
    """`text` as a Jinja string literal (Jinja reads backslash escapes like Python)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def translate_constant_calls(source: str, translator: Translator) -> str:
    """`source` with each constant `t("key")` inside Jinja code replaced by its text."""

    def in_code(code: re.Match[str]) -> str:
        return _CONSTANT_CALL.sub(lambda call: jinja_string(translator(call[2])), code[0])

    return _JINJA_CODE.sub(in_code, source)


class TranslatingLoader(BaseLoader):
    """Another loader's templates, with constant `t("key")` calls translated."""

    def __init__(self, inner: BaseLoader, translator: Translator) -> None:
        self.inner = inner
        self.translator = translator

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        return translate_constant_calls(source, self.translator), filename, uptodate
