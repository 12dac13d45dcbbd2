"""Entry point `http_register` in the group `ansattporten.authz_sources`."""

from __future__ import annotations

from authz_sources.http_register.settings import HttpRegisterSettings
from authz_sources.http_register.source import HttpRegisterSource
from authz_sources.shared import SourceFactoryBase


class HttpRegisterSourceFactory(SourceFactoryBase):
    """Builds an `HttpRegisterSource` from one `[sources.<name>]` block; one factory
    serves any number of blocks, each a separate register with its own types."""

    settings_type = HttpRegisterSettings
    source_type = HttpRegisterSource
