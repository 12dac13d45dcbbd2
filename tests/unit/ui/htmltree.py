"""A tiny HTML tree on top of the standard library's `html.parser`, for template tests.

Strict on purpose: the templates close every element they open, so a mismatched or
unclosed tag, or a repeated attribute, is recorded in `Document.problems`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html.parser import HTMLParser

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | str] = []

    def __repr__(self) -> str:
        shown = " ".join(f"{k}={v!r}" for k, v in self.attrs.items())
        return f"<{self.tag} {shown}>"

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.attrs

    @property
    def id(self) -> str | None:
        return self.attrs.get("id")

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self) -> Iterator[Element]:
        """This element and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(
        self,
        tag: str | None = None,
        predicate: Callable[[Element], bool] | None = None,
        **attrs: str,
    ) -> list[Element]:
        found = []
        for element in self.iter():
            if element is self:
                continue
            if tag is not None and element.tag != tag:
                continue
            if any(element.attrs.get(name.rstrip("_")) != value for name, value in attrs.items()):
                continue
            if predicate is not None and not predicate(element):
                continue
            found.append(element)
        return found

    def find(
        self,
        tag: str | None = None,
        predicate: Callable[[Element], bool] | None = None,
        **attrs: str,
    ) -> Element | None:
        matches = self.find_all(tag, predicate, **attrs)
        return matches[0] if matches else None

    def one(
        self,
        tag: str | None = None,
        predicate: Callable[[Element], bool] | None = None,
        **attrs: str,
    ) -> Element:
        matches = self.find_all(tag, predicate, **attrs)
        assert len(matches) == 1, f"expected one <{tag} {attrs}>, found {len(matches)}"
        return matches[0]

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def closest(self, tag: str) -> Element | None:
        return next((node for node in self.ancestors() if node.tag == tag), None)

    def text(self) -> str:
        """Text content with whitespace collapsed, as a screen reader would read it."""
        parts: list[str] = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else f" {child.text()} ")
        return " ".join("".join(parts).split())


class Document(Element):
    def __init__(self) -> None:
        super().__init__("#document", {}, None)
        self.problems: list[str] = []
        self.doctype: str | None = None

    def by_id(self, element_id: str) -> Element | None:
        return next((e for e in self.iter() if e.id == element_id), None)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.document = Document()
        self.stack: list[Element] = [self.document]

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> Element:
        names = [name for name, _ in attrs]
        for name in sorted({name for name in names if names.count(name) > 1}):
            self.document.problems.append(f"<{tag}> repeats attribute {name!r}")
        element = Element(tag, dict(attrs), self.stack[-1])
        self.stack[-1].children.append(element)
        return element

    def handle_decl(self, decl: str) -> None:
        self.document.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = self._element(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            self.document.problems.append(f"end tag for void element </{tag}>")
            return
        if self.stack[-1].tag == tag:
            self.stack.pop()
            return
        self.document.problems.append(f"</{tag}> closes <{self.stack[-1].tag}>")
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Document:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    for element in builder.stack[1:]:
        builder.document.problems.append(f"<{element.tag}> is never closed")
    return builder.document
