"""Rules to start a fresh database with (a demo's): a JSON file read at start and
imported only while the database holds no rule, so an administrator's work is never
overwritten. Each rule is checked as the admin form checks it.

Format::

    {"rules": [
      {"orgno": "314663799", "kind": "domain", "identifier": "hval.example",
       "client_filter": "all"},
      {"orgno": "313094545", "kind": "email", "identifier": "kari@hval.example",
       "client_filter": "allow", "client_ids": ["example-employee"], "rights": ["les"]}
    ]}
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from employer_rules.identifiers import IdentifierError, IdentifierKind, canonical
from employer_rules.organisations import FileError, read_json_file
from employer_rules.orgno import is_valid_orgno
from employer_rules.rules import ClientFilter, RuleError, RuleSpec, check_spec


class InitialRule(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    orgno: str
    kind: IdentifierKind
    identifier: str
    client_filter: ClientFilter = "all"
    client_ids: list[str] = msgspec.field(default_factory=list)
    rights: list[str] = msgspec.field(default_factory=list)


class InitialRules(msgspec.Struct, forbid_unknown_fields=True):
    rules: list[InitialRule]


def load_initial_rules(path: Path) -> list[RuleSpec]:
    """The file's rules, checked; `FileError` names the first bad one. (Whether their
    organisations are known is for the caller to check against the database.)"""
    specs = []
    for index, rule in enumerate(read_json_file(path, InitialRules).rules):
        where = f"{path}: rules[{index}]"
        if not is_valid_orgno(rule.orgno):
            raise FileError(f"{where}: {rule.orgno!r} is not an organisation number")
        try:
            specs.append(
                check_spec(
                    RuleSpec(
                        orgno=rule.orgno,
                        kind=rule.kind,
                        value=canonical(rule.kind, rule.identifier),
                        client_filter=rule.client_filter,
                        client_ids=tuple(rule.client_ids),
                        rights=tuple(rule.rights),
                    )
                )
            )
        except (IdentifierError, RuleError) as exc:
            raise FileError(f"{where}: {exc}") from exc
    return specs
