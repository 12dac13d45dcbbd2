"""The built-in Altinn source and its mock service.

`AltinnSource` answers `ansattporten:altinn:resource` (Altinn 3 resources, through the
authorized-parties API, the PDP and the resource registry) and
`ansattporten:altinn:service` (Altinn 2 link services, through the legacy reportees and
rights API). `authz_sources.altinn.mock` serves the same wire formats from a fixture.
"""

from authz_sources.altinn.factory import AltinnSourceFactory
from authz_sources.altinn.resource_detail import RESOURCE_TYPE, ResourceDetail
from authz_sources.altinn.service_detail import SERVICE_TYPE, ServiceDetail
from authz_sources.altinn.settings import AltinnSettings
from authz_sources.altinn.source import AltinnSource

__all__ = [
    "RESOURCE_TYPE",
    "SERVICE_TYPE",
    "AltinnSettings",
    "AltinnSource",
    "AltinnSourceFactory",
    "ResourceDetail",
    "ServiceDetail",
]
