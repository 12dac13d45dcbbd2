"""Entry point `orgno` in the group `ansattporten.authz_sources`."""

from __future__ import annotations

from authz_sources.orgno.settings import OrgnoSettings
from authz_sources.orgno.source import OrgnoSource
from authz_sources.shared import SourceFactoryBase


class OrgnoSourceFactory(SourceFactoryBase):
    """Builds the `ansattporten:orgno` source from its `[sources.orgno]` block."""

    settings_type = OrgnoSettings
    source_type = OrgnoSource
