"""/login/{id}: the person authenticates with an eID, inside one login.

GET shows the eID's first step. POST (with the login's CSRF token, from the browser
that started it) completes it; then (`authenticated`) the browser's session is opened
or continued, and the login either ends with a code or, when representation was asked
for, goes on to the organisation picker.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansattporten import routes
from ansattporten.eid.base import EidError, EidStart
from ansattporten.errors import AccessDenied
from ansattporten.flows.authenticated import continue_authenticated
from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.flows.issue_code import failure_page, return_to_client
from ansattporten.flows.transaction import load_login
from ansattporten.outcomes import Outcome, ShowPage, error_page
from ansattporten.records import Login

DEFAULT_EID = "testid"


async def show_login(provider: Provider, login_id: str, browser_id: str | None) -> Outcome:
    login = await load_login(provider, login_id, browser_id, stage="login")
    if isinstance(login, ShowPage):
        return login
    return await eid_page(provider, login, DEFAULT_EID)


async def complete_login(
    provider: Provider,
    login_id: str,
    browser_id: str | None,
    eid_name: str,
    form: Mapping[str, str],
    session_cookie: str | None = None,
) -> Outcome:
    """`session_cookie`: the session cookie the browser sent (a new one replaces it)."""
    login = await load_login(provider, login_id, browser_id, stage="login", form=form)
    if isinstance(login, ShowPage):
        return login
    eid = provider.eids.get(eid_name)
    if eid is None:
        return error_page("error.not_found", status=404, lang=login.request.locale)
    try:
        authentication = await eid.complete(
            form, login.request.acr_values, now=int(provider.clock())
        )
    except EidError as error:
        return await eid_page(provider, login, eid_name, error_key=error.message_key)
    return await continue_authenticated(provider, login, authentication, session_cookie)


async def cancel_login(
    provider: Provider, login_id: str, browser_id: str | None, form: Mapping[str, str]
) -> Outcome:
    """The person pressed cancel: the service learns `access_denied`."""
    login = await load_login(provider, login_id, browser_id, stage=("login", "choose"), form=form)
    if isinstance(login, ShowPage):
        return login
    await provider.store.fail_login(login.id, login.stage, AccessDenied.error)
    return await return_to_client(provider, login, AccessDenied.error)


async def return_after_failure(
    provider: Provider, login_id: str, browser_id: str | None
) -> Outcome:
    login = await load_login(provider, login_id, browser_id, stage="failed")
    if isinstance(login, ShowPage):
        return login
    return await return_to_client(provider, login)


async def show_failure(provider: Provider, login_id: str, browser_id: str | None) -> Outcome:
    """The page of a login that ended without a code, shown again (the language
    switcher comes back here)."""
    login = await load_login(provider, login_id, browser_id, stage="failed")
    if isinstance(login, ShowPage):
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
