"""/organisation/{id}: the organisation picker, after the person has logged in.

GET
1. load the login (this browser, stage "choose")
2. ask the registers once (concurrently, each under its deadline) and keep their offer
   with the login, so searching the list does not ask again
3. nobody to offer: straight back as oneself, or - when representation is required -
   a page that says so, with the way back to the service (`access_denied`)
4. show the picker: the search `q`, the page (`page`, `all`) and the organisations
   chosen so far (`chosen`) come from the address (`picker_groups`)

POST
1. load the login and check the CSRF token
2. search, another page or "show all": back to the picker's address with the choices
   made so far (so choices survive searches, with or without JavaScript)
3. "self" or the chosen organisation numbers (`party`)
4. the registers re-check the choice; a choice that was not offered is refused
5. write grant, code and audit record together and send the browser back with the code
"""

from __future__ import annotations

from collections.abc import Sequence

from ansattporten import routes
from ansattporten.errors import AccessDenied
from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.flows.issue_code import audit_record, fail_login, issue_code
from ansattporten.flows.picker_groups import (
    NAVIGATION,
    PickerState,
    picker_list,
    picker_query,
    picker_state,
)
from ansattporten.flows.refusal_reason import refusal_message
from ansattporten.flows.transaction import load_login
from ansattporten.outcomes import Outcome, RedirectTo, ShowPage, error_page
from ansattporten.rar import RegisterRefused, RegisterUnavailable, Subject
from ansattporten.records import Authentication, Login, Offer


async def show_picker(
    provider: Provider,
    login_id: str,
    browser_id: str | None,
    query: Sequence[tuple[str, str]],
) -> Outcome:
    login = await load_login(provider, login_id, browser_id, stage="choose")
    if isinstance(login, ShowPage):
        return login
    requested = login.request.authorization_details
    offer = login.offer
    if offer is None:
        try:
            offer = await provider.representation.lookup(subject_of(provider, login), requested)
        except RegisterUnavailable as error:
            return await register_unavailable(provider, login, error, None)
        except RegisterRefused as refusal:
            return await person_not_eligible(provider, login, refusal)
        await provider.store.record_offer(login.id, offer)
    representation = provider.representation
    if not offer.selectable():
        if representation.asks_for_organisation(requested) and (
            representation.requires_representation(requested)
        ):
            audit = audit_record(provider, login, "no_representation", timings=offer.timings)
            key = "error.identifier_missing" if offer.unasked() else "error.no_representation"
            return await fail_login(provider, login, AccessDenied(), key, status=403, audit=audit)
        return await grant_and_finish(provider, login, offer, [])
    return await picker_page(provider, login, offer, picker_state(query))


async def choose(
    provider: Provider,
    login_id: str,
    browser_id: str | None,
    form: Sequence[tuple[str, str]],
) -> Outcome:
    values = dict(form)
    login = await load_login(provider, login_id, browser_id, stage="choose", form=values)
    if isinstance(login, ShowPage):
        return login
    lang = login.request.locale
    if login.offer is None:
        return error_page("error.transaction_unknown", status=409, lang=lang)
    if any(name in values for name in NAVIGATION):
        address = provider.issuer + routes.ORGANISATION.format(login_id=login.id)
        return RedirectTo(f"{address}?{picker_query(picker_state(form))}")
    requested = login.request.authorization_details
    chosen = [] if "self" in values else [v[:20] for k, v in form if k == "party"][:1000]
    if "self" in values and provider.representation.requires_representation(requested):
        return error_page("error.self_not_allowed", status=400, lang=lang)
    if "self" not in values and not chosen:
        return await picker_page(
            provider, login, login.offer, picker_state(form), notice_key="picker.notice.choose_one"
        )
    return await grant_and_finish(provider, login, login.offer, chosen)


async def grant_and_finish(
    provider: Provider, login: Login, offer: Offer, chosen_orgnos: list[str]
) -> Outcome:
    try:
        granted = await provider.representation.grant(
            subject_of(provider, login), login.request.authorization_details, offer, chosen_orgnos
        )
    except RegisterUnavailable as error:
        return await register_unavailable(provider, login, error, offer)
    except RegisterRefused:
        return error_page("error.choice_not_eligible", status=403, lang=login.request.locale)
    chosen = [party.orgno for party in granted.chosen]
    audit = audit_record(
        provider,
        login,
        "granted" if chosen else "self",
        offered=[party.orgno for party in offer.offered()],
        chosen=chosen,
        timings=(*offer.timings, *granted.timings),
    )
    return await issue_code(
        provider,
        login,
        authenticated(login),
        authorization_details=granted.details,
        chosen_orgnos=chosen,
        audit=audit,
    )


async def register_unavailable(
    provider: Provider, login: Login, error: RegisterUnavailable, offer: Offer | None
) -> Outcome:
    """A register failed or was late, before the picker or at the choice: the login
    fails closed, and the client learns `temporarily_unavailable`."""
    audit = audit_record(
        provider,
        login,
        "register_unavailable",
        offered=[party.orgno for party in offer.offered()] if offer else (),
        timings=(*(offer.timings if offer else ()), *error.timings),
    )
    return await fail_login(
        provider, login, error, "error.register_unavailable", status=503, audit=audit
    )


async def person_not_eligible(
    provider: Provider, login: Login, refusal: RegisterRefused
) -> Outcome:
    """A register that answers about the person (HPR) says a required approval is
    missing: the login ends here, with the reason in the person's language."""
    message_key, reason = refusal_message(refusal.timings, refusal.reason)
    return await fail_login(
        provider,
        login,
        AccessDenied(),
        message_key,
        status=403,
        audit=audit_record(provider, login, "person_not_eligible", timings=refusal.timings),
        **reason,
    )


async def picker_page(
    provider: Provider,
    login: Login,
    offer: Offer,
    state: PickerState,
    *,
    notice_key: str | None = None,
) -> ShowPage:
    listing = picker_list(offer.offered(), state, provider.settings.picker_page_size)
    representation = provider.representation
    requested = login.request.authorization_details
    client = await find_client(provider.store, login.client_id)
    here = routes.ORGANISATION.format(login_id=login.id)
    return ShowPage(
        "picker.html",
        {
            "client_name": client.name if client else login.client_id,
            "form_action": here,
            "cancel_action": routes.LOGIN_CANCEL.format(login_id=login.id),
            "query": state.query,
            "listing": listing,
            "multiple": representation.allows_multiple(requested),
            "allow_self": not representation.requires_representation(requested),
            "notice_keys": [notice_key] if notice_key else [],
            "csrf_token": login.csrf_token,
            "lang": login.request.locale,
            "expires_in": max(0, int(login.expires_at - provider.clock())),
            "deadline_url": routes.LOGIN.format(login_id=login.id),
            "language_next": f"{here}?{picker_query(state)}",
        },
    )


def authenticated(login: Login) -> Authentication:
    """A login at the picker has been authenticated (the stage says so)."""
    assert login.authentication is not None, "a login at 'choose' is authenticated"
    return login.authentication


def subject_of(provider: Provider, login: Login) -> Subject:
    return provider.representation.subject(
        authenticated(login), login.client_id, login.request.locale
    )
