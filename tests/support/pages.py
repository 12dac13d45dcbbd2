"""Reading the provider's pages the way a browser would: inputs, buttons, links.

Only the picker's automation contract is relied on (ui/templates/picker.html): inputs
named `party` whose value is the 9-digit organisation number, every listed organisation
carrying `data-orgno`, a submit button named `self` when representing oneself is
allowed, and the search as a GET form with the input `q`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import httpx


@dataclass
class Page:
    inputs: list[dict[str, str]] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    listed: list[str] = field(default_factory=list)
    """`data-orgno` of every organisation on the page, selectable or not."""
    ids: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def party_inputs(self) -> list[dict[str, str]]:
        return [attrs for attrs in self.inputs if attrs.get("name") == "party"]

    @property
    def parties(self) -> list[str]:
        """The organisation numbers the person can tick or select."""
        return [attrs.get("value", "") for attrs in self.party_inputs]

    @property
    def party_input_types(self) -> set[str]:
        return {attrs.get("type", "") for attrs in self.party_inputs}

    def has_button(self, name: str) -> bool:
        return any(button.get("name") == name for button in self.buttons)

    @property
    def has_search(self) -> bool:
        return any(attrs.get("name") == "q" for attrs in self.inputs)

    @property
    def truncated(self) -> bool:
        """The picker says it shows only part of the list and asks for a search."""
        picker = self.ids.get("picker", {})
        return picker.get("data-truncated") == "true" and "picker-truncated" in self.ids


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attributes}
        if "id" in attrs:
            self.page.ids[attrs["id"]] = attrs
        if "data-orgno" in attrs:
            self.page.listed.append(attrs["data-orgno"])
        if tag == "input":
            self.page.inputs.append(attrs)
        elif tag == "button":
            self.page.buttons.append(attrs)
        elif tag == "a" and attrs.get("href"):
            self.page.links.append(attrs["href"])


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def assert_page(response: httpx.Response, status: int) -> Page:
    """A page for the person (HTML, no redirect) with the given status."""
    assert response.status_code == status, (response.status_code, response.text[:800])
    assert "location" not in response.headers, response.headers.get("location")
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    return read_page(response.text)


def way_back(browser: httpx.Client, page: Page, redirect_uri: str) -> str:
    """Follow the page's links; exactly one must lead the browser back to the service.
    Returns the Location it redirects to."""
    found: list[str] = []
    for href in page.links:
        if href.startswith("#") or href.startswith("/static/"):
            continue
        response = browser.get(href)
        location = response.headers.get("location", "")
        if response.status_code in (302, 303) and location.startswith(redirect_uri):
            found.append(location)
    assert len(found) == 1, (page.links, found)
    return found[0]
