"""Who an administrator is, read from the provider's checked id_token: `sub`, `pid`
when the eID gives one, and the organisations whose rules they may manage, which are
exactly the `authorized_parties` of the `ansattporten:altinn:resource` object for the
administration resource (Altinn gave the person that resource for them)."""

from __future__ import annotations

from typing import Any, Final

from employer_rules.orgno import is_valid_orgno
from employer_rules.store.session_store import Administrator, AdminOrganisation

RESOURCE_TYPE: Final = "ansattporten:altinn:resource"
ACCEPTED_ACR: Final = frozenset(
    {"substantial", "high", "idporten-loa-substantial", "idporten-loa-high"}
)
"""Administration asks for a national eID at substantial or high, as Altinn does."""


class NotAnAdministrator(Exception):
    """The login succeeded but gives no right to administer: `code` says why
    (`acr` too low, or `no_organisations`)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _organisation(party: Any) -> AdminOrganisation | None:
    if not isinstance(party, dict):
        return None
    orgno = party.get("orgno")
    identifier = orgno.get("ID") if isinstance(orgno, dict) else None
    if not isinstance(identifier, str) or not identifier.startswith("0192:"):
        return None
    number = identifier.removeprefix("0192:")
    name, unit_type = party.get("name"), party.get("unit_type", "")
    if not is_valid_orgno(number) or not isinstance(name, str) or not name:
        return None
    if not isinstance(unit_type, str):
        unit_type = ""
    return AdminOrganisation(orgno=number, name=name[:300], unit_type=unit_type[:20])


def administered_organisations(details: Any, resource: str) -> tuple[AdminOrganisation, ...]:
    """The organisations the token grants the administration resource for, in order."""
    found: dict[str, AdminOrganisation] = {}
    for detail in details if isinstance(details, list) else []:
        if not isinstance(detail, dict) or detail.get("type") != RESOURCE_TYPE:
            continue
        if detail.get("resource") != resource:
            continue
        parties = detail.get("authorized_parties")
        for party in parties if isinstance(parties, list) else []:
            organisation = _organisation(party)
            if organisation is not None:
                found.setdefault(organisation.orgno, organisation)
    return tuple(found.values())


def administrator_of(claims: dict[str, Any], resource: str) -> Administrator:
    if claims.get("acr") not in ACCEPTED_ACR:
        raise NotAnAdministrator("acr")
    organisations = administered_organisations(claims.get("authorization_details"), resource)
    if not organisations:
        raise NotAnAdministrator("no_organisations")
    pid, name = claims.get("pid"), claims.get("name")
    return Administrator(
        sub=str(claims["sub"]),
        pid=pid if isinstance(pid, str) and pid.isdigit() and len(pid) == 11 else None,
        name=name[:200] if isinstance(name, str) and name.strip() else None,
        organisations=organisations,
    )
