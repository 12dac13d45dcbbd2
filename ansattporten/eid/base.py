"""The small interface between the login flow and one electronic ID.

An eID shows its first step (a form of its own, or a redirect to an upstream provider)
and turns what comes back into an `Authentication` (`records.login`): the person, with
whatever identifiers this eID gives (a Norwegian eID gives `pid`; another may give an
e-mail address, an Entra ID tenant and object id or an eIDAS identifier instead), and
how well they were authenticated. It never sees tokens, codes or the client's request
beyond the levels of assurance the client accepts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from ansattporten.outcomes import RedirectTo, ShowPage
from ansattporten.records import Authentication


class EidError(Exception):
    """The person's input was not accepted; `message_key` says why, in their language."""

    def __init__(self, message_key: str) -> None:
        super().__init__(message_key)
        self.message_key = message_key


@dataclass(frozen=True, slots=True)
class EidStart:
    """What the eID needs to show its first step."""

    form_action: str
    cancel_action: str
    client_name: str
    acr_values: Sequence[str]


class Eid(Protocol):
    """An eID whose step is a form of the provider's own (TestID). An upstream provider
    is the other kind (`upstream.eid.UpstreamEid`): the person leaves for its pages."""

    kind: Literal["form"]
    name: str
    label: str
    """The eID's name on the selector (a proper noun, the same in every language)."""
    acr_values: tuple[str, ...]
    """The levels it serves."""

    def accepted(self, requested: tuple[str, ...]) -> tuple[str, ...]:
        """The levels it serves that meet the request; empty: it does not fit."""
        ...

    def start(self, step: EidStart, *, error_key: str | None = None) -> ShowPage | RedirectTo:
        """The first page of this eID (or a redirect to an upstream provider)."""
        ...

    async def complete(
        self, form: Mapping[str, str], acr_values: Sequence[str], *, now: int
    ) -> Authentication:
        """Check what the person submitted; raise EidError to show the form again.
        `now` is the time the person completed it (`auth_time`, unless the eID learns
        an earlier one from upstream)."""
        ...
