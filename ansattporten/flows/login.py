"""/login/{id}: the person authenticates with an eID, inside one login.

GET shows the eID's first step. POST (with the login's CSRF token, from the browser
that started it) completes it; then the login either ends with a code or, when
representation was asked for, goes on to the organisation picker.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansattporten import routes
from ansattporten.eid.base import EidError, EidStart
from ansattporten.errors import AccessDenied
from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.flows.issue_code import failure_page, issue_code, return_to_client
from ansattporten.flows.resume import resume_login
from ansattporten.flows.transaction import load_login
from ansattporten.outcomes import Outcome, RedirectTo, ShowPage, error_page
from ansattporten.records import Login, Stage

DEFAULT_EID = "testid"


async def show_login(provider: Provider, login_id: str, browser_id: str | None) -> Outcome:
    login = await load_login(provider, login_id, browser_id, stage="login", resume=True)
    if not isinstance(login, Login):
        return login
    return await eid_page(provider, login, DEFAULT_EID)


async def complete_login(
    provider: Provider,
    login_id: str,
    browser_id: str | None,
    eid_name: str,
    form: Mapping[str, str],
) -> Outcome:
    login = await load_login(provider, login_id, browser_id, stage="login", form=form, resume=True)
    if not isinstance(login, Login):
        return login  # also a retry of a post that took effect: where the login is now
    assert browser_id is not None  # the login is this browser's
    eid = provider.eids.get(eid_name)
    if eid is None:
        return error_page("error.not_found", status=404, lang=login.request.locale)
    try:
        authentication = await eid.complete(
            form, login.request.acr_values, now=int(provider.clock())
        )
    except EidError as error:
        return await eid_page(provider, login, eid_name, error_key=error.message_key)
    if not login.request.authorization_details:
        return await issue_code(
            provider, login, browser_id, authentication, authorization_details=None
        )
    if not await provider.store.record_authentication(login.id, authentication):
        return await where_it_is_now(provider, login.id, browser_id)  # a double post won
    return RedirectTo(provider.issuer + routes.ORGANISATION.format(login_id=login.id))


async def where_it_is_now(provider: Provider, login_id: str, browser_id: str) -> Outcome:
    """After another request of this browser moved the login on at the same moment."""
    login = await provider.store.load_login(login_id)
    if login is None:
        return error_page("error.transaction_unknown", status=404)
    return await resume_login(provider, login, browser_id)


async def cancel_login(
    provider: Provider, login_id: str, browser_id: str | None, form: Mapping[str, str]
) -> Outcome:
    """The person pressed cancel: the service learns `access_denied`. A cancel retried
    after it took effect (the login failed) gets the same answer: back to the service
    with the login's failure."""
    stages: tuple[Stage, ...] = ("login", "choose", "failed")
    login = await load_login(provider, login_id, browser_id, stage=stages, form=form)
    if not isinstance(login, Login):
        return login
    if login.stage != "failed":
        await provider.store.fail_login(login.id, login.stage, AccessDenied.error)
        return await return_to_client(provider, login, AccessDenied.error)
    return await return_to_client(provider, login)


async def return_after_failure(
    provider: Provider, login_id: str, browser_id: str | None
) -> Outcome:
    login = await load_login(provider, login_id, browser_id, stage="failed")
    if not isinstance(login, Login):
        return login
    return await return_to_client(provider, login)


async def show_failure(provider: Provider, login_id: str, browser_id: str | None) -> Outcome:
    """The page of a login that ended without a code, shown again (the language
    switcher comes back here)."""
    login = await load_login(provider, login_id, browser_id, stage="failed")
    if not isinstance(login, Login):
        return login
    if login.failure_page is None:
        return error_page("error.transaction_finished", status=409, lang=login.request.locale)
    return failure_page(login, login.failure_page)


async def eid_page(
    provider: Provider, login: Login, eid_name: str, *, error_key: str | None = None
) -> Outcome:
    eid = provider.eids[eid_name]
    client = await find_client(provider.store, login.client_id)
    page = eid.start(
        EidStart(
            form_action=routes.LOGIN_EID.format(login_id=login.id, eid=eid_name),
            cancel_action=routes.LOGIN_CANCEL.format(login_id=login.id),
            client_name=client.name if client else login.client_id,
            acr_values=login.request.acr_values,
        ),
        error_key=error_key,
    )
    if isinstance(page, ShowPage):
        page.context.update(
            csrf_token=login.csrf_token,
            lang=login.request.locale,
            expires_in=max(0, int(login.expires_at - provider.clock())),
            deadline_url=routes.LOGIN.format(login_id=login.id),
        )
    return page
