"""The add/edit-rule form: what the administrator typed, read into a checked
`RuleSpec`, or the fields that are wrong and why.

Client ids are separated by commas, spaces or new lines (Virksomhetsbroen's "comma
separated list"); rights by commas (a right may contain spaces: `les og skriv`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import msgspec

from employer_rules.identifiers import KINDS, IdentifierError, IdentifierKind, canonical
from employer_rules.orgno import is_valid_orgno
from employer_rules.rules import CLIENT_FILTERS, ClientFilter, RuleError, RuleSpec, check_spec

FIELDS: Final = ("orgno", "kind", "identifier", "client_filter", "client_ids", "rights")
"""Form field names, in page order (the error summary lists errors in this order)."""
MAX_FIELD_LENGTH: Final = 20_000
_CLIENT_SEPARATORS: Final = re.compile(r"[\s,]+")


class RuleForm(msgspec.Struct, kw_only=True):
    """The form as typed, for showing it again."""

    orgno: str = ""
    kind: str = "email"
    identifier: str = ""
    client_filter: str = "all"
    client_ids: str = ""
    rights: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, str]) -> RuleForm:
        return cls(**{name: str(data.get(name, ""))[:MAX_FIELD_LENGTH] for name in FIELDS})

    @classmethod
    def from_spec(cls, spec: RuleSpec) -> RuleForm:
        return cls(
            orgno=spec.orgno,
            kind=spec.kind,
            identifier=spec.value,
            client_filter=spec.client_filter,
            client_ids=", ".join(spec.client_ids),
            rights=", ".join(spec.rights),
        )


def read_rule(form: RuleForm) -> tuple[RuleSpec | None, dict[str, str]]:
    """(the rule, {}) or (None, {field: error code})."""
    errors: dict[str, str] = {}
    orgno = form.orgno.strip()
    if not is_valid_orgno(orgno):
        errors["orgno"] = "orgno_invalid"
    kind: IdentifierKind | None = next((k for k in KINDS if k == form.kind), None)
    value = ""
    if kind is None:
        errors["kind"] = "kind_invalid"
    elif not form.identifier.strip():
        errors["identifier"] = "identifier_required"
    else:
        try:
            value = canonical(kind, form.identifier)
        except IdentifierError as exc:
            errors["identifier"] = exc.code
    client_filter: ClientFilter | None = next(
        (f for f in CLIENT_FILTERS if f == form.client_filter), None
    )
    if client_filter is None:
        errors["client_filter"] = "filter_invalid"
    if errors or kind is None or client_filter is None:
        return None, errors
    try:
        spec = check_spec(
            RuleSpec(
                orgno=orgno,
                kind=kind,
                value=value,
                client_filter=client_filter,
                client_ids=tuple(c for c in _CLIENT_SEPARATORS.split(form.client_ids) if c),
                rights=tuple(r.strip() for r in form.rights.split(",") if r.strip()),
            )
        )
    except RuleError as exc:
        return None, {exc.field: exc.code}
    return spec, {}
