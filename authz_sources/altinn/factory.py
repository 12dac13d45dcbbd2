"""Entry point `altinn` in the group `ansattporten.authz_sources`."""

from __future__ import annotations

from typing import ClassVar

import msgspec

from authz_sources.altinn.settings import AltinnSettings
from authz_sources.altinn.source import AltinnSource


class AltinnSourceFactory:
    """Creates an `AltinnSource` from `[sources.<name>]` settings."""

    settings_type: ClassVar[type[msgspec.Struct]] = AltinnSettings

    @classmethod
    def create(cls, name: str, settings: msgspec.Struct) -> AltinnSource:
        """Build the source; opens no connection until the first call."""
        if not isinstance(settings, AltinnSettings):
            raise TypeError(f"expected AltinnSettings, got {type(settings).__name__}")
        return AltinnSource(name, settings)
