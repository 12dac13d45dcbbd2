"""Entry point `hpr` in the group `ansattporten.authz_sources`."""

from __future__ import annotations

from typing import ClassVar

import msgspec

from authz_sources.hpr.settings import HprSettings
from authz_sources.hpr.source import HprSource


class HprSourceFactory:
    """Builds an `HprSource` from its `[sources.<name>]` settings block."""

    settings_type: ClassVar[type[msgspec.Struct]] = HprSettings

    @staticmethod
    def create(name: str, settings: msgspec.Struct) -> HprSource:
        if not isinstance(settings, HprSettings):
            raise TypeError(f"expected HprSettings, got {type(settings).__name__}")
        return HprSource(name, settings)
