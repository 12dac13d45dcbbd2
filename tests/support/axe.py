"""axe-core (npm) in the browser tests: the pinned package in tests/browser/axe/ is
installed with `npm ci` when missing (`.ci/run` does it up front), and its
`axe.min.js` is evaluated in the page through the DevTools protocol (so the page's strict
CSP stays on and nothing comes from a CDN), which then reports WCAG 2.1 A/AA violations.
`AxeReport` keeps what a test module saw and saves it under test-artifacts/axe/.

A missing node/npm or a failed install is an error, never a skipped check.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.support.chromium import artifact
from tests.support.npm import npm_ci

PACKAGE = Path(__file__).resolve().parents[1] / "browser" / "axe"
SCRIPT = PACKAGE / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@functools.cache
def axe_source() -> str:
    npm_ci(PACKAGE)
    return SCRIPT.read_text("utf-8")


def axe_version() -> str:
    package = json.loads((SCRIPT.parent / "package.json").read_text("utf-8"))
    return str(package["version"])


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's WCAG 2.1 A and AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)
            }));
        }""",
        WCAG_21_AA,
    )
    return found


class AxeReport:
    """What axe saw over a test module, saved as test-artifacts/axe/<name>.json."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.pages: list[dict[str, Any]] = []

    def check(self, page: Page, label: str) -> list[dict[str, Any]]:
        found = violations(page)
        self.pages.append({"page": label, "url": page.url, "violations": found})
        return found

    def save(self) -> Path:
        path = artifact(f"axe/{self.name}.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        summary = {
            "axe_core": axe_version(),
            "rules": WCAG_21_AA,
            "pages_checked": len(self.pages),
            "violations": sum(len(entry["violations"]) for entry in self.pages),
            "pages": self.pages,
        }
        path.write_text(json.dumps(summary, ensure_ascii=False, indent=1), "utf-8")
        return path
