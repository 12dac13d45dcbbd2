"""What the person reads when a register that answers about them (HPR) refuses them.

A register's own reason is free text in whatever language the register writes, so the
page says it with the provider's own text for that kind of register, in the person's
language (`error.<type>` in the catalogues). Only a register the provider has no text
for has its reason shown as it came (the register was asked in the person's language).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Final

from ansattporten.records import SourceTiming
from ansattporten.records.login import NO_IDENTIFIER

log = logging.getLogger("ansattporten.flows")

REFUSAL_MESSAGES: Final = {"ansattporten:hpr": "error.hpr_not_eligible"}
"""RAR type of a person-answering register -> the message that explains its refusal."""


def refusal_message(timings: Sequence[SourceTiming], reason: str) -> tuple[str, dict[str, str]]:
    """(message key, message arguments) for the refusal page."""
    if any(timing.outcome == NO_IDENTIFIER for timing in timings):
        log.info("a register cannot look the person up: no identifier it knows")
        return "error.identifier_missing", {}
    refused = next((timing for timing in timings if timing.outcome == "not_eligible"), None)
    log.info(
        "a register refused the person",
        extra={"source": refused.source if refused else None},
    )
    key = REFUSAL_MESSAGES.get(refused.type) if refused else None
    if key is not None:
        return key, {}
    return "error.person_not_eligible", {"reason": reason[:300]}
