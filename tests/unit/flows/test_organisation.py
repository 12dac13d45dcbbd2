"""The organisation picker as functions: the registers are asked once and their offer
kept with the login; the choice is checked against it and re-checked with them; the
login ends with a grant that carries typed claims and what a refresh re-checks."""

from __future__ import annotations

import dataclasses
from urllib.parse import parse_qs, urlsplit

from ansattporten.flows.context import Provider
from ansattporten.flows.organisation import choose, show_picker
from ansattporten.outcomes import RedirectTo, ShowPage
from ansattporten.rar import Representation
from ansattporten.records.ids import hashed
from ansattporten.store import Store
from authz_sources import RequestedDetail
from tests.unit.flows.conftest import PARTIES, STRANGER, TableSource, detail
from tests.unit.flows.steps import BROWSER, at_the_picker


def code_of(outcome: object) -> str:
    assert isinstance(outcome, RedirectTo), outcome
    return parse_qs(urlsplit(outcome.url).query)["code"][0]


async def test_the_registers_are_asked_once_and_their_offer_kept(
    provider: Provider, source: TableSource
) -> None:
    login = await at_the_picker(provider, [detail()])

    first = await show_picker(provider, login.id, BROWSER, [])
    searched = await show_picker(provider, login.id, BROWSER, [("q", "nord")])

    assert isinstance(first, ShowPage)
    assert first.context["listing"].total == 2
    assert isinstance(searched, ShowPage)
    assert searched.context["listing"].shown == 1
    assert source.calls == ["parse_detail", "find_parties"]
    kept = await provider.store.load_login(login.id)
    assert kept is not None
    assert kept.offer is not None
    assert [p.orgno for p in kept.offer.offered()] == [p.orgno for p in PARTIES]


async def test_a_choice_becomes_a_grant_with_typed_claims(
    provider: Provider, source: TableSource
) -> None:
    login = await at_the_picker(provider, [detail()])
    page = await show_picker(provider, login.id, BROWSER, [])
    assert isinstance(page, ShowPage)
    chosen = PARTIES[1].orgno

    outcome = await choose(
        provider, login.id, BROWSER, [("csrf_token", login.csrf_token), ("party", chosen)]
    )

    code = await provider.store.find_code(hashed(code_of(outcome)))
    assert code is not None
    assert code.claims.person == login.authentication.person  # type: ignore[union-attr]
    assert code.claims.nonce == "nonce-1"
    [granted] = code.claims.authorization_details or []
    assert granted["thing"] == "permit"
    assert [p["orgno"]["ID"] for p in granted["authorized_parties"]] == [f"0192:{chosen}"]
    grant = await provider.store.get_grant(code.grant_id)
    assert grant is not None
    assert grant.choice is not None
    assert grant.choice.chosen == (chosen,)
    assert grant.choice.requested == login.request.authorization_details
    assert source.calls[-2:] == ["grant", "find_parties"]  # re-checked with the register
    (audit,) = await provider.store.list_audit()
    assert (audit.outcome, audit.chosen) == ("granted", (chosen,))


async def test_a_choice_that_was_not_offered_is_refused(provider: Provider) -> None:
    login = await at_the_picker(provider, [detail()])
    await show_picker(provider, login.id, BROWSER, [])

    page = await choose(
        provider, login.id, BROWSER, [("csrf_token", login.csrf_token), ("party", "999999999")]
    )

    assert isinstance(page, ShowPage)
    assert (page.status, page.context["message_key"]) == (403, "error.choice_not_eligible")
    still = await provider.store.load_login(login.id)
    assert still is not None
    assert still.stage == "choose"


async def test_nobody_to_offer_when_representation_is_required_fails_the_login(
    provider: Provider,
) -> None:
    login = await at_the_picker(provider, [detail(representation_is_required=True)], pid=STRANGER)

    page = await show_picker(provider, login.id, BROWSER, [])

    assert isinstance(page, ShowPage)
    assert (page.status, page.context["message_key"]) == (403, "error.no_representation")
    failed = await provider.store.load_login(login.id)
    assert failed is not None
    assert (failed.stage, failed.failure) == ("failed", "access_denied")
    (audit,) = await provider.store.list_audit()
    assert audit.outcome == "no_representation"


async def test_nobody_to_offer_goes_straight_back_as_oneself(provider: Provider) -> None:
    login = await at_the_picker(provider, [detail()], pid=STRANGER)

    outcome = await show_picker(provider, login.id, BROWSER, [])

    code = await provider.store.find_code(hashed(code_of(outcome)))
    assert code is not None
    assert code.claims.authorization_details == [{"type": "test:table"}]


async def test_a_login_whose_register_was_disabled_since_fails_closed(
    provider: Provider,
) -> None:
    """Settings changed while the person was logging in: the login still loads (its
    detail comes back as a plain RequestedDetail) and fails as if the register were
    down, never with a token."""
    login = await at_the_picker(provider, [detail()])
    restarted = dataclasses.replace(
        provider,
        store=Store(provider.settings.database_url),
        representation=Representation([]),
    )
    try:
        page = await show_picker(restarted, login.id, BROWSER, [])
        failed = await restarted.store.load_login(login.id)
    finally:
        await restarted.store.aclose()

    assert isinstance(page, ShowPage)
    assert (page.status, page.context["message_key"]) == (503, "error.register_unavailable")
    assert failed is not None
    assert (failed.stage, failed.failure) == ("failed", "temporarily_unavailable")
    [requested] = failed.request.authorization_details
    assert type(requested.detail) is RequestedDetail
    assert requested.detail.raw["thing"] == "permit"
