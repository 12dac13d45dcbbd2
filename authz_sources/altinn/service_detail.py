"""`ansattporten:altinn:service`: an Altinn 2 link service, named by code and edition.

Altinn roles are deliberately not accepted here; a link service must be named.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from authz_sources.errors import InvalidDetail
from authz_sources.shared import (
    SHARED_FIELDS,
    check_fields,
    excerpt,
    required_string,
    shared_values,
)
from authz_sources.types import RequestedDetail

SERVICE_TYPE = "ansattporten:altinn:service"
_SERVICE_URN = re.compile(r"urn:altinn:resource:([0-9]{1,10}):([0-9]{1,10})")


class ServiceDetail(RequestedDetail, frozen=True, kw_only=True):
    """A validated request for one Altinn 2 link service."""

    resource: str
    """The full URN as requested (`urn:altinn:resource:<code>:<edition>`)."""

    service_code: str
    """The service code, e.g. "2480"."""

    service_edition: int
    """The service edition, e.g. 40."""

    @property
    def resource_id(self) -> str:
        """The id Altinn 3 uses for the migrated service (`se_<code>_<edition>`)."""
        return f"se_{self.service_code}_{self.service_edition}"


def parse_service_detail(raw: Mapping[str, Any]) -> ServiceDetail:
    """Validate one `ansattporten:altinn:service` object (pure; InvalidDetail if bad)."""
    check_fields(raw, SERVICE_TYPE, SHARED_FIELDS | {"resource"})
    resource = required_string(raw, "resource")
    match = _SERVICE_URN.fullmatch(resource)
    if match is None:
        raise InvalidDetail(
            "`resource` must look like urn:altinn:resource:<servicecode>:<edition> "
            f"(digits), not {excerpt(resource)}"
        )
    return ServiceDetail(
        resource=resource,
        service_code=match.group(1),
        service_edition=int(match.group(2)),
        **shared_values(raw),
    )
