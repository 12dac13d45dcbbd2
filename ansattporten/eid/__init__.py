"""Electronic IDs the person can log in with: TestID (a form of our own) and upstream
OpenID providers (`upstream/`), each configured by an `[eids.<name>]` block and built
here, in the order the settings list them (the selector's order)."""

from __future__ import annotations

from collections.abc import Sequence

from ansattporten.eid.base import Eid
from ansattporten.eid.testid import TestIdEid
from ansattporten.eid.upstream.eid import UpstreamEid
from ansattporten.settings_eids import EidConfig

AnyEid = Eid | UpstreamEid


def build_eids(configs: Sequence[EidConfig]) -> dict[str, AnyEid]:
    """Raises KeyFileError when an eID's private key cannot be read."""
    eids: dict[str, AnyEid] = {}
    for config in configs:
        if config.is_upstream:
            eids[config.name] = UpstreamEid(config)
        else:
            eids[config.name] = TestIdEid(
                synthetic_only=config.synthetic_only,
                name=config.name,
                label=config.label,
                acr_values=config.acr_values,
            )
    return eids


__all__ = ["AnyEid", "Eid", "TestIdEid", "UpstreamEid", "build_eids"]
