"""Driving a page with the keyboard only, as a person without a mouse does."""

from __future__ import annotations

from typing import Any


def focused(page: Any, selector: str) -> bool:
    found: bool = page.evaluate(
        "s => document.activeElement !== null && document.activeElement.matches(s)", selector
    )
    return found


def tab_to(page: Any, selector: str, *, backwards: bool = False, limit: int = 80) -> int:
    """Press Tab (Shift+Tab) until the element `selector` has focus; returns the number
    of presses. Fails if it is not reached: then the keyboard cannot get there."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if focused(page, selector):
            return presses
    raise AssertionError(f"{selector} cannot be reached with {'Shift+' if backwards else ''}Tab")


def replace_text(page: Any, text: str) -> None:
    """Select what the focused field holds and type over it."""
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
