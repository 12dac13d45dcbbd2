"""/organisation/{id}: the organisation picker, after the person has logged in.

GET
1. load the transaction (this browser, stage "choose")
2. ask the registers once (concurrently, each under its deadline) and keep the answer
   with the transaction, so searching the list does not ask again
3. nobody to offer: straight back as oneself, or - when representation is required -
   a page that says so, with the way back to the service (`access_denied`)
4. show the picker: the search `q`, the page (`page`, `all`) and the organisations
   chosen so far (`chosen`) come from the address (`picker_groups`)

POST
1. load the transaction and check the CSRF token
2. search, another page or "show all": back to the picker's address with the choices
   made so far (so choices survive searches, with or without JavaScript)
3. "self" or the chosen organisation numbers (`party`)
4. the registers re-check the choice; a choice that was not offered is refused
5. write grant, code and audit record together and send the browser back with the code
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from ansattporten.eid.base import Authentication
from ansattporten.errors import AccessDenied
from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.flows.issue_code import fail_login, issue_code, request_of
from ansattporten.flows.picker_groups import (
    NAVIGATION,
    PickerState,
    picker_list,
    picker_query,
    picker_state,
)
from ansattporten.flows.refusal_reason import refusal_message
from ansattporten.flows.results import Outcome, RedirectTo, ShowPage, error_page
from ansattporten.flows.transaction import TransactionRefused, load_transaction
from ansattporten.rar import Lookup, RegisterUnavailable, Requested, SourceTiming
from ansattporten.store import AuditRecord, Interaction
from authz_sources import NotEligible, Party, Subject


async def show_picker(
    provider: Provider,
    interaction_id: str,
    browser_id: str | None,
    query: Sequence[tuple[str, str]],
) -> Outcome:
    try:
        interaction = await load_transaction(provider, interaction_id, browser_id, stage="choose")
    except TransactionRefused as refused:
        return refused.page
    requested = requested_of(provider, interaction)
    lookup = stored_lookup(interaction)
    if lookup is None:
        try:
            lookup = await provider.representation.lookup(subject_of(interaction), requested)
        except RegisterUnavailable as error:
            return await fail_login(
                provider,
                interaction,
                error,
                "error.register_unavailable",
                status=503,
                audit=audit_record(
                    provider, interaction, "register_unavailable", [], [], error.timings
                ),
            )
        except NotEligible as refusal:
            return await person_not_eligible(provider, interaction, refusal)
        await provider.store.advance_interaction(
            interaction.id, "choose", lookup=msgspec.to_builtins(lookup)
        )
    offered = lookup.selectable()
    representation = provider.representation
    if not offered:
        if representation.asks_for_organisation(requested) and (
            representation.requires_representation(requested)
        ):
            return await fail_login(
                provider,
                interaction,
                AccessDenied(),
                "error.no_representation",
                status=403,
                audit=audit_record(
                    provider, interaction, "no_representation", [], [], lookup.timings
                ),
            )
        return await grant_and_finish(provider, interaction, requested, lookup, [])
    return await picker_page(provider, interaction, requested, lookup, picker_state(query))


async def choose(
    provider: Provider,
    interaction_id: str,
    browser_id: str | None,
    form: Sequence[tuple[str, str]],
) -> Outcome:
    values = dict(form)
    try:
        interaction = await load_transaction(
            provider,
            interaction_id,
            browser_id,
            stage="choose",
            csrf_token=values.get("csrf_token"),
            check_csrf=True,
        )
    except TransactionRefused as refused:
        return refused.page
    lang = request_of(interaction).locale
    lookup = stored_lookup(interaction)
    if lookup is None:
        return error_page("error.transaction_unknown", status=409, lang=lang)
    if any(name in values for name in NAVIGATION):
        address = f"{provider.issuer}/organisation/{interaction.id}"
        return RedirectTo(f"{address}?{picker_query(picker_state(form))}")
    requested = requested_of(provider, interaction)
    chosen = [] if "self" in values else [v[:20] for k, v in form if k == "party"][:1000]
    if "self" in values and provider.representation.requires_representation(requested):
        return error_page("error.self_not_allowed", status=400, lang=lang)
    if "self" not in values and not chosen:
        state = picker_state(form)
        return await picker_page(
            provider, interaction, requested, lookup, state, notice_key="picker.notice.choose_one"
        )
    return await grant_and_finish(provider, interaction, requested, lookup, chosen)


async def grant_and_finish(
    provider: Provider,
    interaction: Interaction,
    requested: list[Requested],
    lookup: Lookup,
    chosen_orgnos: list[str],
) -> Outcome:
    try:
        details, chosen, timings = await provider.representation.grant(
            subject_of(interaction), requested, lookup, chosen_orgnos
        )
    except RegisterUnavailable as error:
        return await fail_login(
            provider,
            interaction,
            error,
            "error.register_unavailable",
            status=503,
            audit=audit_record(
                provider,
                interaction,
                "register_unavailable",
                lookup.offered(),
                [],
                lookup.timings + error.timings,
            ),
        )
    except NotEligible:
        lang = request_of(interaction).locale
        return error_page("error.choice_not_eligible", status=403, lang=lang)
    authentication = Authentication(
        pid=interaction.pid or "", acr=interaction.acr or "", amr=tuple(interaction.amr or ())
    )
    audit = audit_record(
        provider,
        interaction,
        "granted" if chosen else "self",
        lookup.offered(),
        chosen,
        lookup.timings + timings,
    )
    return await issue_code(
        provider,
        interaction,
        authentication,
        interaction.auth_time or 0,
        authorization_details=details,
        audit=audit,
        chosen_orgnos=[party.orgno for party in chosen],
    )


async def person_not_eligible(
    provider: Provider, interaction: Interaction, refusal: NotEligible
) -> Outcome:
    """A register that answers about the person (HPR) says a required approval is
    missing: the login ends here, with the reason in the person's language."""
    timings: list[SourceTiming] = getattr(refusal, "timings", [])
    message_key, reason = refusal_message(timings, str(refusal))
    return await fail_login(
        provider,
        interaction,
        AccessDenied(),
        message_key,
        status=403,
        audit=audit_record(provider, interaction, "person_not_eligible", [], [], timings),
        **reason,
    )


async def picker_page(
    provider: Provider,
    interaction: Interaction,
    requested: list[Requested],
    lookup: Lookup,
    state: PickerState,
    *,
    notice_key: str | None = None,
) -> ShowPage:
    listing = picker_list(lookup.offered(), state, provider.settings.picker_page_size)
    representation = provider.representation
    client = await find_client(provider.store, interaction.client_id)
    return ShowPage(
        "picker.html",
        {
            "client_name": client.name if client else interaction.client_id,
            "form_action": f"/organisation/{interaction.id}",
            "cancel_action": f"/login/{interaction.id}/cancel",
            "query": state.query,
            "listing": listing,
            "multiple": representation.allows_multiple(requested),
            "allow_self": not representation.requires_representation(requested),
            "notice_keys": [notice_key] if notice_key else [],
            "csrf_token": interaction.csrf_token,
            "lang": request_of(interaction).locale,
            "expires_in": max(0, int(interaction.expires_at - provider.clock())),
            "deadline_url": f"/login/{interaction.id}",
            "language_next": f"/organisation/{interaction.id}?{picker_query(state)}",
        },
    )


def requested_of(provider: Provider, interaction: Interaction) -> list[Requested]:
    return provider.representation.validate(request_of(interaction).authorization_details)


def stored_lookup(interaction: Interaction) -> Lookup | None:
    if not interaction.lookup or "parties" not in interaction.lookup:
        return None
    return msgspec.convert(interaction.lookup, Lookup)


def subject_of(interaction: Interaction) -> Subject:
    request = request_of(interaction)
    return Subject(
        pid=interaction.pid or "",
        client_id=interaction.client_id,
        locale=request.locale,
        acr=interaction.acr or "",
    )


def audit_record(
    provider: Provider,
    interaction: Interaction,
    outcome: str,
    offered: Sequence[Party],
    chosen: Sequence[Party],
    timings: Sequence[SourceTiming],
) -> AuditRecord:
    return AuditRecord(
        created_at=provider.clock(),
        pid=interaction.pid or "",
        client_id=interaction.client_id,
        outcome=outcome,
        offered=[party.orgno for party in offered],
        chosen=[party.orgno for party in chosen],
        sources=msgspec.to_builtins(list(timings)),
    )
