"""Writing a measurement's Markdown report into the results folder, and showing it."""

from __future__ import annotations

from pathlib import Path


def publish(text: str, folder: str | Path, name: str) -> Path:
    """`text` as `folder/name` (the folder made if missing), printed with where it went."""
    out = Path(folder) / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text + f"\nwritten: {out}")
    return out
