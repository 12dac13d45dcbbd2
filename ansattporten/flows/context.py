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

if TYPE_CHECKING:
    from ansattporten.eid.base import Eid


@dataclass(slots=True)
class Provider:
    settings: Settings
    store: Store
    keyring: KeyRing
    representation: Representation
    eids: Mapping[str, Eid]
    pairwise_secret: bytes
    clock: Callable[[], float] = field(default=time.time)
    wake_deliveries: Callable[[], None] = field(default=lambda: None)
    """Tell this instance's back-channel logout worker that requests were queued (it
    looks for them on its own every `backchannel_poll_seconds` too)."""

    @property
    def issuer(self) -> str:
        return self.settings.issuer
