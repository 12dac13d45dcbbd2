"""The floor as designed shows the provider's own pages: TestID's login form and the
organisation picker, from `ui/templates` through the provider's `Renderer` (Jinja,
translated, escaped), with the contexts the provider gives them. The bare floor writes
its two pages with f-strings (`floor_login_parts`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from litestar import Response

from ansattporten.eid.testid import ACR_LABELS
from ansattporten.flows.picker_groups import PickerState, picker_list
from ansattporten.outcomes import ShowPage
from ansattporten.vocabulary import ACR_LEVELS
from ansattporten.web.render import Renderer
from authz_sources.types import Party as OfferedParty
from bench.floor_login_altinn import Party, holds_the_resource

LOCALE = "nb"
PAGE_SIZE = 50
"""The provider's default `picker_page_size`."""
CLIENT_NAME = "Bench service"
ACR_OPTIONS = [
    {"value": acr, "label_key": ACR_LABELS[acr], "checked": index == len(ACR_LEVELS) - 1}
    for index, acr in enumerate(ACR_LEVELS)
]
"""TestID's level choices, the highest ticked, as the provider offers them."""


class DesignedPages:
    def __init__(self) -> None:
        self.renderer = Renderer(LOCALE)

    def login(self, action: str, csrf: str) -> Response[bytes]:
        return self.renderer.page(
            ShowPage(
                "login_testid.html",
                {
                    "client_name": CLIENT_NAME,
                    "form_action": action,
                    "cancel_action": f"{action}/cancel",
                    "acr_options": ACR_OPTIONS,
                    "error_key": None,
                    "csrf_token": csrf,
                    "lang": LOCALE,
                },
            )
        )

    def picker(self, action: str, csrf: str, parties: Sequence[Party]) -> Response[bytes]:
        listing = picker_list(list(offered(parties)), PickerState(), PAGE_SIZE)
        context: dict[str, Any] = {
            "client_name": CLIENT_NAME,
            "form_action": action,
            "cancel_action": f"{action}/cancel",
            "query": "",
            "listing": listing,
            "multiple": False,
            "allow_self": False,
            "notice_keys": [],
            "csrf_token": csrf,
            "lang": LOCALE,
            "expires_in": 600,
            "deadline_url": action,
            "language_next": action,
        }
        return self.renderer.page(ShowPage("picker.html", context))


def offered(parties: Sequence[Party], parent: str | None = None) -> Iterator[OfferedParty]:
    """The register's answer as the provider's picker takes it: every unit with a
    number, sub-units naming their main unit, the ones without the resource listed
    but not selectable."""
    for party in parties:
        if party.organization_number and not party.is_deleted:
            yield OfferedParty(
                orgno=party.organization_number,
                name=party.name,
                parent_orgno=parent,
                selectable=holds_the_resource(party),
            )
        yield from offered(party.subunits, party.organization_number)
