"""The answer to `POST /parties`, as steps:

1. the request's identifiers in canonical form: the e-mail address (and so its
   domain) and the Entra group ids; a value that is not one of them cannot match any
   rule and is left out
2. one read: every rule naming the address, the domain or a group, with its
   organisation
3. the rules' verdict for the asking service (`rules.grants`: additive, client
   filters, rights only from single-client rules)
4. the organisations in the contract's answer form, with their main unit
"""

from __future__ import annotations

from employer_rules.api.wire import PartiesAnswer, PartiesRequest, Subject, WireParty, org_id
from employer_rules.identifiers import IdentifierError, canonical_email, canonical_group
from employer_rules.organisations import Organisation
from employer_rules.rules import Asker, grants
from employer_rules.store.rule_store import RuleStore


def asker_of(request: PartiesRequest) -> Asker:
    return Asker(
        client_id=request.client_id,
        email=_email(request.subject),
        groups=frozenset(_groups(request.subject)),
    )


def _email(subject: Subject) -> str | None:
    if subject.email is None:
        return None
    try:
        return canonical_email(subject.email)
    except IdentifierError:
        return None


def _groups(subject: Subject) -> list[str]:
    found = []
    for group in subject.groups:
        try:
            found.append(canonical_group(group))
        except IdentifierError:
            continue
    return found


def wire_party(organisation: Organisation, rights: tuple[str, ...]) -> WireParty:
    parent = organisation.parent_orgno
    return WireParty(
        id=org_id(organisation.orgno),
        name=organisation.name,
        unit_type=organisation.unit_type,
        parent_id=None if parent is None else org_id(parent),
        rights=rights,
        is_deleted=organisation.is_deleted,
    )


async def find_parties(store: RuleStore, request: PartiesRequest) -> PartiesAnswer:
    asker = asker_of(request)
    rules, organisations = await store.rules_naming(asker.email, sorted(asker.groups))
    granted = grants(rules, asker)
    return PartiesAnswer(
        parties=[
            wire_party(organisations[orgno], rights) for orgno, rights in sorted(granted.items())
        ]
    )
