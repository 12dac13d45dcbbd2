"""Who may be offered, decided from Altinn's answers alone (pure, no I/O).

The rules (spec 8.3 revised, with our readings where the spec is silent):

- Altinn was asked with `anyOfResourceIds` for the one requested resource, so every
  party in the answer reaches it somehow: directly, through a role or through an access
  package (the last two are *not* listed in `authorizedResources`, which is often `[]`);
- a party is eligible when it is not a hierarchy-only element
  (`onlyHierarchyElementWithNoAccess`), reaches the whole resource rather than single
  instances of it (its trimmed role, package or resource list is not empty; instance
  delegations alone are not enough **[INFERRED]**: Ansattporten grants the resource),
  is an organisation (persons are never offered), passes `organizationform`
  (`enterprise` = main units, `business` = sub-units) and, unless
  `allow_deleted_organizations`, is not deleted;
- when actions were requested, it must also hold at least one of them (the PDP decides);
- a main unit that is not eligible itself but has eligible sub-units is listed, not
  selectable, right before them, so the picker can group them under it.
"""

from __future__ import annotations

from collections.abc import Iterator

from authz_sources.altinn.wire import AuthorizedParty, Reportee
from authz_sources.types import Party, RequestedDetail

SUB_UNIT_FORMS = frozenset({"BEDR", "AAFY"})
"""Brønnøysund forms that are always sub-units, even if Altinn lists them at top level."""


def passes_filters(detail: RequestedDetail, *, is_sub_unit: bool, is_deleted: bool) -> bool:
    """`organizationform` and `allow_deleted_organizations`."""
    if detail.organizationform == "enterprise" and is_sub_unit:
        return False
    if detail.organizationform == "business" and not is_sub_unit:
        return False
    return detail.allow_deleted_organizations or not is_deleted


def _organisation(party: AuthorizedParty) -> str | None:
    """The orgno of an organisation party; None for persons and other party kinds."""
    return party.organization_number if party.type == "Organization" else None


def walk(
    parties: list[AuthorizedParty],
) -> Iterator[tuple[AuthorizedParty, AuthorizedParty | None]]:
    """Every organisation party with its main unit (None for main units)."""
    for main in parties:
        if _organisation(main) is None:
            continue
        yield main, None
        for sub in main.subunits:
            if _organisation(sub) is not None:
                yield sub, main


def is_sub_unit(party: AuthorizedParty, parent: AuthorizedParty | None) -> bool:
    """Nested under a main unit, or of a form that only sub-units have."""
    return parent is not None or (party.unit_type or "") in SUB_UNIT_FORMS


def holders(parties: list[AuthorizedParty], detail: RequestedDetail) -> list[str]:
    """Orgnos of the parties eligible before any action check, in answer order."""
    found: dict[str, None] = {}
    for party, parent in walk(parties):
        holds = not party.only_hierarchy_element_with_no_access and party.has_resource_access()
        if holds and passes_filters(
            detail, is_sub_unit=is_sub_unit(party, parent), is_deleted=party.is_deleted
        ):
            found[str(party.organization_number)] = None
    return list(found)


def _party(
    party: AuthorizedParty,
    parent: AuthorizedParty | None,
    *,
    rights: tuple[str, ...] = (),
    selectable: bool = True,
) -> Party:
    """Altinn's party as a picker Party."""
    return Party(
        orgno=str(party.organization_number),
        name=party.name,
        unit_type=party.unit_type or "",
        parent_orgno=parent.organization_number if parent is not None else None,
        is_deleted=party.is_deleted,
        selectable=selectable,
        rights=rights,
    )


def arrange(
    parties: list[AuthorizedParty], eligible: dict[str, tuple[str, ...]], resource_id: str
) -> list[Party]:
    """The picker list: eligible parties (rights = resource id + held actions) grouped
    under their main unit, which is a non-selectable header when not eligible itself."""
    result: list[Party] = []
    seen: set[str] = set()
    for main in parties:
        main_orgno = _organisation(main)
        if main_orgno is None:
            continue
        subs = [
            sub
            for sub in main.subunits
            if _organisation(sub) in eligible and sub.organization_number not in seen
        ]
        if main_orgno in eligible and main_orgno not in seen:
            result.append(_party(main, None, rights=(resource_id, *eligible[main_orgno])))
        elif subs and main_orgno not in seen:
            result.append(_party(main, None, selectable=False))
        seen.add(main_orgno)
        for sub in subs:
            orgno = str(sub.organization_number)
            result.append(_party(sub, main, rights=(resource_id, *eligible[orgno])))
            seen.add(orgno)
    return result


def reportee_parties(
    reportees: list[Reportee], detail: RequestedDetail, service: str
) -> list[Party]:
    """Altinn 2 reportees as picker parties (organisations only, filters applied)."""
    result: dict[str, Party] = {}
    for reportee in reportees:
        orgno = reportee.organization_number
        if reportee.type not in ("Enterprise", "Business") or orgno is None or orgno in result:
            continue
        business = reportee.type == "Business"
        deleted = reportee.status not in (None, "Active")
        if not passes_filters(detail, is_sub_unit=business, is_deleted=deleted):
            continue
        result[orgno] = Party(
            orgno=orgno,
            name=reportee.name,
            unit_type=reportee.organization_form or "",
            parent_orgno=reportee.parent_organization_number if business else None,
            is_deleted=deleted,
            rights=(service,),
        )
    return list(result.values())
