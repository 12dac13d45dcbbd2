"""Entry point `http_register` in the group `ansattporten.authz_sources`."""

from __future__ import annotations

from typing import ClassVar

import msgspec

from authz_sources.http_register.settings import HttpRegisterSettings
from authz_sources.http_register.source import HttpRegisterSource


class HttpRegisterSourceFactory:
    """Builds an `HttpRegisterSource` from one `[sources.<name>]` block; one factory
    serves any number of blocks, each a separate register with its own types."""

    settings_type: ClassVar[type[msgspec.Struct]] = HttpRegisterSettings

    @staticmethod
    def create(name: str, settings: msgspec.Struct) -> HttpRegisterSource:
        if not isinstance(settings, HttpRegisterSettings):
            raise TypeError(f"expected HttpRegisterSettings, got {type(settings).__name__}")
        return HttpRegisterSource(name, settings)
