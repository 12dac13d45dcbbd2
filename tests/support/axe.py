"""axe-core (npm) in the browser tests: WCAG 2.1 A and AA checks of a loaded page.

axe-core is installed from `tests/browser/axe/package-lock.json` into the git-ignored
`tests/browser/axe/node_modules` (`.ci/run` does it; a test run does it too when it is
missing, with npm's exact lock-file install). It is loaded from there into the page
under test through the DevTools protocol, so the page's strict Content-Security-Policy
stays on and nothing is fetched from a CDN. Results go to `test-artifacts/axe/`.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

from tests.support.chromium import artifact

AXE_DIR = Path(__file__).resolve().parents[1] / "browser" / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_install_lock = threading.Lock()


@functools.cache
def axe_source() -> str:
    with _install_lock:
        if not AXE_SCRIPT.is_file():
            npm = shutil.which("npm")
            if npm is None:
                raise RuntimeError("npm is missing: install Node.js 20 and npm (.ci/run does)")
            done = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=AXE_DIR,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if done.returncode != 0 or not AXE_SCRIPT.is_file():
                raise RuntimeError(f"npm ci for axe-core failed:\n{done.stdout}\n{done.stderr}")
    return AXE_SCRIPT.read_text("utf-8")


def axe_version() -> str:
    package = json.loads((AXE_SCRIPT.parent / "package.json").read_text("utf-8"))
    return str(package["version"])


def run_axe(page: Any) -> list[dict[str, Any]]:
    """The WCAG 2.1 A/AA violations on `page` as axe reports them (empty when clean)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)
            }));
        }""",
        WCAG_21_AA,
    )
    return found


class AxeReport:
    """What axe saw, collected over a test module and saved as a test artifact."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.pages: list[dict[str, Any]] = []

    def check(self, page: Any, label: str) -> list[dict[str, Any]]:
        violations = run_axe(page)
        self.pages.append({"page": label, "url": page.url, "violations": violations})
        return violations

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
