"""The token object of `ansattporten:orgno` (spec 4.2).

Per organisation only `orgno` (ISO 6523) and `name`, and `rights` only when the employer
gave this service free-text rights (a rule allowing exactly this one client_id): no
`unit_type`, unlike the Altinn types. The legacy shape of the pilot's first version,
`{"type": ..., "orgno": {...}}`, names one organisation and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from authz_sources.shared import organisation_id
from authz_sources.types import Party


def orgno_party(party: Party) -> dict[str, Any]:
    entry: dict[str, Any] = {"orgno": organisation_id(party.orgno), "name": party.name}
    if party.rights:
        entry["rights"] = list(party.rights)
    return entry


def orgno_object(rar_type: str, confirmed: Sequence[Party], *, legacy: bool) -> dict[str, Any]:
    """The object for `authorization_details`; `confirmed` is not empty (in the legacy
    shape it holds one party: such a request allows only one)."""
    if legacy:
        return {"type": rar_type, "orgno": organisation_id(confirmed[0].orgno)}
    return {"type": rar_type, "authorized_parties": [orgno_party(party) for party in confirmed]}
