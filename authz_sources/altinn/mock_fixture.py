"""Reading the mock Altinn's fixture: today's format (`mock_world`) or the first one
(`mock_legacy`), both validated at load so a bad file stops the mock with a message
saying where, instead of serving answers the source would reject at login time."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

from authz_sources.altinn.mock_legacy import convert, is_legacy
from authz_sources.altinn.mock_world import FixtureError, World, WorldFile

__all__ = ["FixtureError", "World", "load_fixture"]


def load_fixture(fixture: Path | Mapping[str, Any]) -> World:
    """Read and validate a fixture file (or an already-parsed mapping)."""
    origin = str(fixture) if isinstance(fixture, Path) else "fixture mapping"
    try:
        raw: Any = json.loads(fixture.read_text("utf-8")) if isinstance(fixture, Path) else fixture
    except (OSError, ValueError) as exc:
        raise FixtureError(f"altinn mock fixture {origin}: cannot read JSON: {exc}") from exc
    try:
        if is_legacy(raw):
            return World(convert(raw), check_delegated_resources=False)
        return World(msgspec.convert(raw, WorldFile))
    except (msgspec.ValidationError, FixtureError) as exc:
        raise FixtureError(f"altinn mock fixture {origin}: {exc}") from exc
