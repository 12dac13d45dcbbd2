"""What an audit record says: who did what to which organisation's rules, when, and
the rule before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, Literal

import msgspec

from employer_rules.rules import RuleSpec

Action = Literal[
    "rule_created",
    "rule_updated",
    "rule_deleted",
    "refused_other_organisation",
]
SYSTEM: Final = "system"
"""The actor of rules imported from `initial_rules_file`."""


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    """The administrator, as the provider's token names them."""

    sub: str
    pid: str | None = None
    name: str | None = None


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    at: datetime
    actor_sub: str
    actor_name: str | None
    orgno: str
    action: Action
    rule_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def snapshot(rule: RuleSpec) -> dict[str, Any]:
    """A rule's content as it goes into an audit record."""
    return {
        "orgno": rule.orgno,
        "kind": rule.kind,
        "value": rule.value,
        "client_filter": rule.client_filter,
        "client_ids": list(rule.client_ids),
        "rights": list(rule.rights),
    }
