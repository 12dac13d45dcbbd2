"""Arranging offered parties for the picker: main units with their sub-units under
them in Norwegian order, narrowed by a search over all of them, cut into pages, with
the organisations already chosen kept.

The page gets every organisation the person may choose, even those not on the current
page: the browser's live filter searches all of them, and a choice made on another page
or under another search stays in the form. `visible` says which ones the server's view
(this search, this page) shows; the rest are in the page but hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from ansattporten.flows.norwegian_order import name_matches, normalise, sort_key
from ansattporten.records import Party

MAX_QUERY = 100
MAX_CHOSEN = 1000


@dataclass(slots=True)
class Group:
    party: Party
    subunits: list[Party] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PickerState:
    """What the person asked the picker to show: from the page's address, or from the
    form when they pressed search, a page button or "show all"."""

    query: str = ""
    page: int = 1
    show_all: bool = False
    chosen: tuple[str, ...] = ()


@dataclass(slots=True)
class PickerList:
    groups: list[Group]
    """Every organisation, grouped and in Norwegian order."""
    visible: set[str]
    """Organisation numbers the server's view shows (matching, on this page, or chosen)."""
    chosen: list[Party]
    """The chosen organisations that were offered, in the order they were chosen."""
    shown: int
    """Selectable organisations on this page (chosen ones from elsewhere not counted)."""
    matching: int
    """Selectable organisations matching the search, on every page."""
    total: int
    """Selectable organisations in all."""
    page: int
    pages: int
    show_all: bool

    @property
    def truncated(self) -> bool:
        return self.pages > 1 and not self.show_all

    @property
    def complete(self) -> bool:
        """The page lists every organisation (no search, no other pages)."""
        return self.shown == self.total and len(self.visible) == self.listed

    @property
    def browser_data(self) -> list[list[Any]]:
        return browser_list(self.groups)

    @property
    def listed(self) -> int:
        return sum(1 + len(group.subunits) for group in self.groups)


def picker_state(pairs: Sequence[tuple[str, str]]) -> PickerState:
    """The picker's state from query or form pairs: `q`, `page`, `all`, and the chosen
    organisations (`chosen` in an address, `party` in the form). Anything malformed is
    dropped; what was chosen is checked against the offer again in `picker_list`."""
    query = ""
    page = 1
    show_all = False
    chosen: list[str] = []
    for name, value in pairs:
        if name == "q" and not query:
            query = value.strip()[:MAX_QUERY]
        elif name == "page" and value.isdigit() and len(value) <= 6:
            page = max(1, int(value))
        elif name == "all" and value == "1":
            show_all = True
        elif name in ("chosen", "party") and len(value) == 9 and value.isdigit():
            chosen.append(value)
    return PickerState(query, page, show_all, tuple(dict.fromkeys(chosen))[:MAX_CHOSEN])


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
    ordered = sorted(groups.values(), key=lambda group: sort_key(group.party.name))
    for group in ordered:
        group.subunits.sort(key=lambda party: sort_key(party.name))
    return ordered


def matches(party: Party, query: str) -> bool:
    return name_matches(party.name, party.orgno, normalise(query))


def _matching_part(group: Group, query: str) -> tuple[list[Party], int] | None:
    """The parties of `group` a search shows, and how many of them match: all of it
    when the main unit matches (its sub-units come along), else the main unit as
    context with the matching sub-units; None when nothing matches."""
    if not query or name_matches(group.party.name, group.party.orgno, query):
        everything = [group.party, *group.subunits]
        return everything, _size(everything)
    subunits = [p for p in group.subunits if name_matches(p.name, p.orgno, query)]
    return ([group.party, *subunits], _size(subunits)) if subunits else None


def _size(parties: Sequence[Party]) -> int:
    return sum(1 for party in parties if party.selectable)


def picker_list(parties: Sequence[Party], state: PickerState, page_size: int) -> PickerList:
    query = normalise(state.query)
    groups = group_parties(parties)
    pages: list[list[list[Party]]] = [[]]
    matching = 0
    filled = 0
    for group in groups:
        found = _matching_part(group, query)
        if found is None:
            continue
        part, hits = found
        size = _size(part)
        if filled + size > page_size and pages[-1]:
            pages.append([])
            filled = 0
        pages[-1].append(part)
        filled += size
        matching += hits
    page = min(state.page, len(pages))
    shown_parts = [part for chunk in pages for part in chunk] if state.show_all else pages[page - 1]
    offered = {party.orgno: party for party in parties if party.selectable}
    chosen = [offered[orgno] for orgno in state.chosen if orgno in offered]
    visible = {party.orgno for part in shown_parts for party in part}
    return PickerList(
        groups=groups,
        visible=visible | {party.orgno for party in chosen},
        chosen=chosen,
        shown=sum(_size(part) for part in shown_parts),
        matching=matching,
        total=len(offered),
        page=page,
        pages=len(pages),
        show_all=state.show_all,
    )


NAVIGATION = ("search", "page", "all")
"""Form buttons that move around the picker instead of choosing."""


def picker_query(state: PickerState) -> str:
    """`state` as the query string of the picker's address (so the page can be fetched
    again: back button, language switcher)."""
    pairs: list[tuple[str, str]] = []
    if state.query:
        pairs.append(("q", state.query))
    if state.show_all:
        pairs.append(("all", "1"))
    elif state.page > 1:
        pairs.append(("page", str(state.page)))
    pairs += [("chosen", orgno) for orgno in state.chosen]
    return urlencode(pairs)


def browser_list(groups: Sequence[Group]) -> list[list[Any]]:
    """Every organisation in the compact form the live filter reads (`picker.js`):
    `[orgno, name, unit type, deleted, selectable, [sub-units in the same form]]`."""

    def entry(party: Party) -> list[Any]:
        return [party.orgno, party.name, party.unit_type, party.is_deleted, party.selectable]

    return [[*entry(group.party), [entry(sub) for sub in group.subunits]] for group in groups]
