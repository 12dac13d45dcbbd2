"""What a rule is, the rules a rule must keep, and how rules answer for a person.

A rule says: people with this identifier (an e-mail address, an e-mail domain or an
Entra ID group) may act for this organisation, toward these services:

- `all`: every service (Virksomhetsbroen's "ingen filter");
- `allow`: only the listed `client_id`s ("Tillat");
- `deny`: every service except the listed `client_id`s ("Nekt").

Rules are additive: a person may act for an organisation toward a service when *any*
of the organisation's rules matches them and lets that service through; no rule takes
away what another gives. Service-specific free-text rights (`les`, `rapporter`) live
only on an `allow` rule for exactly one `client_id`; they are given to that service
only, and the rights of several such rules add up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final, Literal, get_args

import msgspec

from employer_rules.identifiers import IdentifierKind, domain_of

ClientFilter = Literal["all", "allow", "deny"]
CLIENT_FILTERS: Final[tuple[ClientFilter, ...]] = get_args(ClientFilter)

MAX_CLIENT_IDS: Final = 50
MAX_RIGHTS: Final = 100
MAX_RIGHT_LENGTH: Final = 200
_CLIENT_ID: Final = re.compile(r"[\x21-\x2b\x2d-\x7e]{1,255}")
"""A client_id is printable ASCII (RFC 6749 VSCHAR) without space or comma, which
separate the ids of a list."""
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class RuleError(ValueError):
    """A rule breaks one of the rules above; `field` and `code` say which and why."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code


class RuleSpec(msgspec.Struct, frozen=True, kw_only=True):
    """A rule's content, identifier already in canonical form (see `identifiers`)."""

    orgno: str
    kind: IdentifierKind
    value: str
    client_filter: ClientFilter
    client_ids: tuple[str, ...] = ()
    rights: tuple[str, ...] = ()

    @property
    def single_client(self) -> str | None:
        """The one service an `allow` rule for exactly one client_id lets through."""
        if self.client_filter == "allow" and len(self.client_ids) == 1:
            return self.client_ids[0]
        return None


class Rule(RuleSpec, frozen=True, kw_only=True):
    """A stored rule."""

    id: str


class Asker(msgspec.Struct, frozen=True, kw_only=True):
    """Who the provider asks about, and for which service."""

    client_id: str
    email: str | None = None
    """Canonical e-mail address (see `identifiers.canonical_email`), if the person has one."""
    groups: frozenset[str] = frozenset()
    """Canonical Entra ID group ids."""


def check_client_id(value: str) -> str:
    if not _CLIENT_ID.fullmatch(value):
        raise RuleError("client_ids", "client_id_invalid")
    return value


def check_right(value: str) -> str:
    text = value.strip()
    if not text or len(text) > MAX_RIGHT_LENGTH or _CONTROL.search(text) or "," in text:
        raise RuleError("rights", "right_invalid")
    return text


def check_spec(spec: RuleSpec) -> RuleSpec:
    """The spec with client ids and rights de-duplicated (order kept), or `RuleError`."""
    client_ids = tuple(dict.fromkeys(check_client_id(c) for c in spec.client_ids))
    rights = tuple(dict.fromkeys(check_right(r) for r in spec.rights))
    if spec.client_filter == "all" and client_ids:
        raise RuleError("client_ids", "client_ids_not_allowed")
    if spec.client_filter != "all" and not client_ids:
        raise RuleError("client_ids", "client_ids_required")
    if len(client_ids) > MAX_CLIENT_IDS:
        raise RuleError("client_ids", "client_ids_too_many")
    if len(rights) > MAX_RIGHTS:
        raise RuleError("rights", "rights_too_many")
    if rights and not (spec.client_filter == "allow" and len(client_ids) == 1):
        raise RuleError("rights", "rights_need_single_client")
    return msgspec.structs.replace(spec, client_ids=client_ids, rights=rights)


def identifies(rule: RuleSpec, asker: Asker) -> bool:
    """Whether the rule's identifier names the person."""
    if rule.kind == "group":
        return rule.value in asker.groups
    if asker.email is None:
        return False
    if rule.kind == "email":
        return rule.value == asker.email
    return rule.value == domain_of(asker.email)


def lets_through(rule: RuleSpec, client_id: str) -> bool:
    """Whether the rule's client filter lets the service through."""
    if rule.client_filter == "all":
        return True
    listed = client_id in rule.client_ids
    return listed if rule.client_filter == "allow" else not listed


def grants(rules: Iterable[RuleSpec], asker: Asker) -> dict[str, tuple[str, ...]]:
    """Organisation number -> the rights the person has there toward the asking service.

    An organisation is present when any rule for it matches (additive); its rights are
    the union, sorted, of the rights of matching single-client rules."""
    granted: dict[str, set[str]] = {}
    for rule in rules:
        if identifies(rule, asker) and lets_through(rule, asker.client_id):
            rights = granted.setdefault(rule.orgno, set())
            if rule.single_client == asker.client_id:
                rights.update(rule.rights)
    return {orgno: tuple(sorted(rights)) for orgno, rights in granted.items()}
