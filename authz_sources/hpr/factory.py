"""Entry point `hpr` in the group `ansattporten.authz_sources`."""

from __future__ import annotations

from authz_sources.hpr.settings import HprSettings
from authz_sources.hpr.source import HprSource
from authz_sources.shared import SourceFactoryBase


class HprSourceFactory(SourceFactoryBase):
    """Builds an `HprSource` from its `[sources.<name>]` settings block."""

    settings_type = HprSettings
    source_type = HprSource
