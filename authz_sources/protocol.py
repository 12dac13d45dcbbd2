"""The contract between the provider and an authoritative register.

The provider calls these methods and nothing else. A login with several requested
objects calls `find_parties` once per object, concurrently across sources, each call under
its own deadline (the provider cancels a late call). A source that cannot answer raises
`SourceUnavailable`; it must never return a partial or guessed list.

The protocol is generic over the source's own detail type `D`: what `parse_detail`
returns is what `find_parties` and `grant` are given, always. The provider parses each
requested object once, when the request arrives, keeps the parsed object with the login
(and the grant, for a refresh that asks again) and restores it as the class
`detail_types` names, so a source never needs to parse or check a detail twice.

When each method is called, in a login:

1. `parse_detail`, once per requested object, at /par or /authorize; then
   `check_together` (if the source has it) with all of the request's objects it owns.
2. Before the picker, concurrently across sources: `find_parties` for each object of an
   organisation-answering source, and `grant` with no chosen party for each object of a
   person-answering source (so a person without a required approval learns it before
   picking, from `NotEligible`).
3. After the choice: `grant` for each object, with the chosen parties this object's
   `find_parties` offered (none when the person represents themself; objects whose
   offered parties include none of the chosen are not asked), and `grant` with no
   chosen party again for each object of a person-answering source.
4. On refresh, only with `refresh_rechecks_sources`: 2 and 3 again, with the choice
   made at login.

Not every person has a Norwegian national identity number (eIDAS and Entra ID logins
may not). A source says what it knows people by in an optional `identifiers` attribute
(`Subject` fields, `types.IDENTIFIERS`; `("pid",)` when absent, and in `SourceBase`).
The provider asks a source only about a person who has one of them; for anyone else it
answers as Ansattporten does when an eID does not fit a type: an organisation source's
object holds only `type`, or, with `representation_is_required`, the login ends with
`access_denied`; a person source's check fails (`access_denied`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal, Protocol, TypeVar, runtime_checkable

import msgspec

from authz_sources.types import Party, RequestedDetail, Subject

D = TypeVar("D", bound=RequestedDetail)
D_contra = TypeVar("D_contra", bound=RequestedDetail, contravariant=True)


@runtime_checkable
class AuthzSource(Protocol[D]):
    """One enabled register, answering one or more RAR `type`s."""

    name: str
    """The settings key that enabled it (`[sources.<name>]`)."""

    types: tuple[str, ...]
    """The RAR types it owns; no two enabled sources may own the same type."""

    detail_types: Mapping[str, type[D]]
    """For each of `types`, the `RequestedDetail` subclass `parse_detail` returns for it
    (the same class for every type, unless they parse differently). The provider stores
    parsed details and restores them as this class."""

    answers_about: Literal["organisations", "person"]
    """"organisations": its parties go into the picker. "person": it answers about the
    person themself (the health personnel register); nothing is offered in the picker and
    `grant` is called with no chosen parties."""

    timeout_seconds: float
    """The deadline the provider puts on each call to this source."""

    def parse_detail(self, raw: Mapping[str, Any]) -> D:
        """Validate one requested object of one of `types`; pure, no I/O.

        Raises `InvalidDetail` with a precise message for unknown fields, wrong JSON
        types, missing or malformed required fields. Accepts the flags as booleans or as
        the strings "true"/"false" (real clients send strings).
        """
        ...

    async def find_parties(self, subject: Subject, detail: D) -> list[Party]:
        """Who the person may act for under this detail, filters already applied
        (`organizationform`, `allow_deleted_organizations`, hierarchy-only parents marked
        not selectable). Empty for a person-answering source."""
        ...

    async def grant(
        self, subject: Subject, detail: D, chosen: Sequence[Party]
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


def identifiers_of(source: object) -> tuple[str, ...]:
    """What `source` knows people by: its `identifiers`, or only `pid` for a source
    written before identifiers were declared."""
    identifiers = getattr(source, "identifiers", ("pid",))
    return tuple(identifiers) if isinstance(identifiers, tuple | list) else ("pid",)


@runtime_checkable
class ChecksTogether(Protocol[D_contra]):
    """Optional: a source with rules across the objects of one request that it owns."""

    def check_together(self, details: Sequence[D_contra]) -> None:
        """Raise `InvalidDetail(message, index=i)` naming the `i`th of `details` that
        breaks a rule with an earlier one. Pure, like `parse_detail`."""
        ...


class SourceFactory(Protocol):
    """What an entry point in the group `ansattporten.authz_sources` must name.

    The entry point's name is the source *kind*; settings choose it with
    `kind = "<name>"` (or by using the kind as the settings key).
    """

    settings_type: ClassVar[type[msgspec.Struct]]

    def create(self, name: str, settings: msgspec.Struct) -> AuthzSource[Any]: ...
