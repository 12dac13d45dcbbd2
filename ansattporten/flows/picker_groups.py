"""Arranging offered parties for the picker: main units with their sub-units under
them, narrowed by a search, and cut to a page so hundreds of organisations stay usable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ansattporten.records import Party


@dataclass(slots=True)
class Group:
    party: Party
    subunits: list[Party] = field(default_factory=list)


@dataclass(slots=True)
class PickerList:
    groups: list[Group]
    shown: int
    total: int
    truncated: bool


def group_parties(parties: Sequence[Party]) -> list[Group]:
    by_orgno = {party.orgno: party for party in parties}
    groups: dict[str, Group] = {}
    for party in parties:
        parent = party.parent_orgno
        if parent and parent in by_orgno:
            continue
        groups[party.orgno] = Group(party)
    for party in parties:
        parent = party.parent_orgno
        if parent and parent in groups:
            groups[parent].subunits.append(party)
    ordered = sorted(groups.values(), key=lambda group: group.party.name.casefold())
    for group in ordered:
        group.subunits.sort(key=lambda party: party.name.casefold())
    return ordered


def matches(party: Party, query: str) -> bool:
    digits = query.replace(" ", "")
    return query.casefold() in party.name.casefold() or (digits.isdigit() and digits in party.orgno)


def picker_list(parties: Sequence[Party], query: str, page_size: int) -> PickerList:
    query = query.strip()[:100]
    selectable_total = sum(1 for party in parties if party.selectable)
    shown_groups: list[Group] = []
    shown = 0
    truncated = False
    for group in group_parties(parties):
        if query and not matches(group.party, query):
            subunits = [party for party in group.subunits if matches(party, query)]
            if not subunits:
                continue
            group = Group(group.party, subunits)
        size = int(group.party.selectable) + len(group.subunits)
        if shown + size > page_size and shown_groups:
            truncated = True
            break
        shown_groups.append(group)
        shown += size
    return PickerList(shown_groups, shown, selectable_total, truncated)
