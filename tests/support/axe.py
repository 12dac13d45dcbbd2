"""axe-core (npm) in the browser tests: the pinned package in tests/browser/axe/ is
installed with `npm ci` when missing (`.ci/run` does it up front), and its
`axe.min.js` is evaluated in the page, which then reports WCAG 2.1 A/AA violations.

A missing node/npm or a failed install is an error, never a skipped check.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

PACKAGE = Path(__file__).resolve().parents[1] / "browser" / "axe"
SCRIPT = PACKAGE / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@functools.cache
def axe_source() -> str:
    if not SCRIPT.exists():
        if shutil.which("npm") is None:
            raise RuntimeError("npm is needed to install axe-core for the browser tests")
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=PACKAGE,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"npm ci for axe-core failed:\n{done.stdout}\n{done.stderr}")
    return SCRIPT.read_text("utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's WCAG 2.1 A and AA violations on the page as it is now (evaluated through
    the DevTools protocol, so the page's strict CSP need not allow the script)."""
    page.evaluate(axe_source())
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' '))
            }));
        }""",
        WCAG_21_AA,
    )
    return found
