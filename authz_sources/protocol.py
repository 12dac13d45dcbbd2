"""The contract between the provider and an authoritative register.

The provider calls these methods and nothing else. A login with several requested
objects calls `find_parties` once per object, concurrently across sources, each call under
its own deadline (the provider cancels a late call). A source that cannot answer raises
`SourceUnavailable`; it must never return a partial or guessed list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

import msgspec

from authz_sources.types import Party, RequestedDetail, Subject


@runtime_checkable
class AuthzSource(Protocol):
    """One enabled register, answering one or more RAR `type`s."""

    name: str
    """The settings key that enabled it (`[sources.<name>]`)."""

    types: tuple[str, ...]
    """The RAR types it owns; no two enabled sources may own the same type."""

    answers_about: Literal["organisations", "person"]
    """"organisations": its parties go into the picker. "person": it answers about the
    person themself (the health personnel register); nothing is offered in the picker and
    `grant` is called with no chosen parties."""

    timeout_seconds: float
    """The deadline the provider puts on each call to this source."""

    def parse_detail(self, raw: Mapping[str, Any]) -> RequestedDetail:
        """Validate one requested object of one of `types`; pure, no I/O.

        Raises `InvalidDetail` with a precise message for unknown fields, wrong JSON
        types, missing or malformed required fields. Accepts the flags as booleans or as
        the strings "true"/"false" (real clients send strings).
        """
        ...

    async def find_parties(self, subject: Subject, detail: RequestedDetail) -> list[Party]:
        """Who the person may act for under this detail, filters already applied
        (`organizationform`, `allow_deleted_organizations`, hierarchy-only parents marked
        not selectable). Empty for a person-answering source."""
        ...

    async def grant(
        self, subject: Subject, detail: RequestedDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        """Re-check the choice with the register and return the exact object for
        `authorization_details`, or None when none of the chosen parties holds this
        detail (the object is then left out). `chosen` is empty when the person represents
        themself: return the object with only `type` (and what the type always carries).

        Raises `NotEligible` when a chosen party is not eligible (the browser posted
        something that was not offered, or rights changed) or, for a person-answering
        source, when a required approval is missing. Raises `SourceUnavailable` when
        the register cannot answer.
        """
        ...

    async def check_health(self) -> None:
        """Raise `SourceUnavailable` if the register cannot be reached."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


class SourceFactory(Protocol):
    """What an entry point in the group `ansattporten.authz_sources` must name.

    The entry point's name is the source *kind*; settings choose it with
    `kind = "<name>"` (or by using the kind as the settings key).
    """

    settings_type: ClassVar[type[msgspec.Struct]]

    def create(self, name: str, settings: msgspec.Struct) -> AuthzSource: ...
