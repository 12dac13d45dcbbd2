"""Everything a flow needs, built once by `create_app` and passed to every endpoint."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ansattporten.flows.keyring import KeyRing
from ansattporten.rar import Representation
from ansattporten.settings import Settings
from ansattporten.store import Store
from ansattporten.vocabulary import ACR_VALUES

if TYPE_CHECKING:
    from ansattporten.eid import AnyEid


@dataclass(slots=True)
class Provider:
    settings: Settings
    store: Store
    keyring: KeyRing
    representation: Representation
    eids: Mapping[str, AnyEid]
    """The enabled eIDs, in the selector's order."""
    pairwise_secret: bytes
    clock: Callable[[], float] = field(default=time.time)
    wake_deliveries: Callable[[], None] = field(default=lambda: None)
    """Tell this instance's back-channel logout worker that requests were queued (it
    looks for them on its own every `backchannel_poll_seconds` too)."""
    acr_offered: tuple[str, ...] = field(init=False)
    """The levels the enabled eIDs serve (narrowed by `acr_values_supported`): what
    requests may ask for and discovery lists."""

    def __post_init__(self) -> None:
        served = {value for eid in self.eids.values() for value in eid.acr_values}
        narrowed = self.settings.acr_values_supported
        self.acr_offered = tuple(
            value
            for value in ACR_VALUES
            if value in served and (narrowed is None or value in narrowed)
        )

    @property
    def issuer(self) -> str:
        return self.settings.issuer
