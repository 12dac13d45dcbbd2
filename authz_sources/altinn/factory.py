"""Entry point `altinn` in the group `ansattporten.authz_sources`."""

from __future__ import annotations

from authz_sources.altinn.settings import AltinnSettings
from authz_sources.altinn.source import AltinnSource
from authz_sources.shared import SourceFactoryBase


class AltinnSourceFactory(SourceFactoryBase):
    """Creates an `AltinnSource` from `[sources.<name>]` settings; it opens no
    connection until the first call."""

    settings_type = AltinnSettings
    source_type = AltinnSource
