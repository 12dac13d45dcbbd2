"""/login/{id}: the person authenticates with an eID, inside one login transaction.

GET shows the eID's first step. POST (with the transaction's CSRF token, from the
browser that started it) completes it; then the login either ends with a code or, when
representation was asked for, goes on to the organisation picker.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansattporten.eid.base import EidError, EidStart
from ansattporten.errors import AccessDenied
from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.flows.issue_code import failure_page, issue_code, request_of, return_to_client
from ansattporten.flows.results import Outcome, RedirectTo, ShowPage, error_page
from ansattporten.flows.transaction import TransactionRefused, load_transaction
from ansattporten.store import Interaction

DEFAULT_EID = "testid"


async def show_login(provider: Provider, interaction_id: str, browser_id: str | None) -> Outcome:
    try:
        interaction = await load_transaction(provider, interaction_id, browser_id, stage="login")
    except TransactionRefused as refused:
        return refused.page
    return await eid_page(provider, interaction, DEFAULT_EID)


async def complete_login(
    provider: Provider,
    interaction_id: str,
    browser_id: str | None,
    eid_name: str,
    form: Mapping[str, str],
) -> Outcome:
    try:
        interaction = await load_transaction(
            provider,
            interaction_id,
            browser_id,
            stage="login",
            csrf_token=form.get("csrf_token"),
            check_csrf=True,
        )
    except TransactionRefused as refused:
        return refused.page
    request = request_of(interaction)
    eid = provider.eids.get(eid_name)
    if eid is None:
        return error_page("error.not_found", status=404, lang=request.locale)
    try:
        authentication = await eid.complete(form, request.acr_values)
    except EidError as error:
        return await eid_page(provider, interaction, eid_name, error_key=error.message_key)
    auth_time = int(provider.clock())
    if not request.authorization_details:
        return await issue_code(
            provider, interaction, authentication, auth_time, authorization_details=None
        )
    moved = await provider.store.advance_interaction(
        interaction.id,
        "login",
        stage="choose",
        pid=authentication.pid,
        acr=authentication.acr,
        amr=list(authentication.amr),
        auth_time=auth_time,
    )
    if not moved:
        return error_page("error.transaction_finished", status=409, lang=request.locale)
    return RedirectTo(f"{provider.issuer}/organisation/{interaction.id}")


async def cancel_login(
    provider: Provider, interaction_id: str, browser_id: str | None, form: Mapping[str, str]
) -> Outcome:
    """The person pressed cancel: the service learns `access_denied`."""
    try:
        interaction = await load_transaction(
            provider,
            interaction_id,
            browser_id,
            stage=("login", "choose"),
            csrf_token=form.get("csrf_token"),
            check_csrf=True,
        )
    except TransactionRefused as refused:
        return refused.page
    await provider.store.advance_interaction(
        interaction.id, interaction.stage, stage="failed", lookup={"error": AccessDenied.error}
    )
    interaction.lookup = {"error": AccessDenied.error}
    return await return_to_client(provider, interaction)


async def return_after_failure(
    provider: Provider, interaction_id: str, browser_id: str | None
) -> Outcome:
    try:
        interaction = await load_transaction(provider, interaction_id, browser_id, stage="failed")
    except TransactionRefused as refused:
        return refused.page
    return await return_to_client(provider, interaction)


async def show_failure(provider: Provider, interaction_id: str, browser_id: str | None) -> Outcome:
    """The page of a login that ended without a code, shown again (the language
    switcher comes back here)."""
    try:
        interaction = await load_transaction(provider, interaction_id, browser_id, stage="failed")
    except TransactionRefused as refused:
        return refused.page
    shown = (interaction.lookup or {}).get("page")
    if not isinstance(shown, dict):
        lang = request_of(interaction).locale
        return error_page("error.transaction_finished", status=409, lang=lang)
    return failure_page(
        interaction,
        str(shown.get("message_key") or "error.generic"),
        int(shown.get("status") or 400),
        dict(shown.get("message_args") or {}),
    )


async def eid_page(
    provider: Provider, interaction: Interaction, eid_name: str, *, error_key: str | None = None
) -> Outcome:
    eid = provider.eids[eid_name]
    client = await find_client(provider.store, interaction.client_id)
    request = request_of(interaction)
    page = eid.start(
        EidStart(
            form_action=f"/login/{interaction.id}/{eid_name}",
            cancel_action=f"/login/{interaction.id}/cancel",
            client_name=client.name if client else interaction.client_id,
            acr_values=request.acr_values,
        ),
        error_key=error_key,
    )
    if isinstance(page, ShowPage):
        page.context.update(
            csrf_token=interaction.csrf_token,
            lang=request.locale,
            expires_in=max(0, int(interaction.expires_at - provider.clock())),
            deadline_url=f"/login/{interaction.id}",
        )
    return page
