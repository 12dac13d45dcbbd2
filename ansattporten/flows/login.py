"""/login/{id}: the person authenticates with an eID, inside one login.

GET shows the eID step (`eid_choice`: the selector, or the one eID that fits). POST
to a form eID (with the login's CSRF token, from the browser that started it)
completes it; then (`authenticated`) the browser's session is opened or continued, and
the login either ends with a code or, when representation was asked for, goes on to the
organisation picker. An upstream eID completes at its callback instead
(`upstream_callback`).
"""

from __future__ import annotations

from collections.abc import Mapping

from ansattporten.eid import UpstreamEid
from ansattporten.eid.base import EidError
from ansattporten.errors import AccessDenied
from ansattporten.flows.authenticated import continue_after_authentication
from ansattporten.flows.context import Provider
from ansattporten.flows.eid_choice import eid_page, fitting_eids, show_eid_step
from ansattporten.flows.issue_code import failure_page, return_to_client
from ansattporten.flows.transaction import load_login
from ansattporten.outcomes import Outcome, error_page
from ansattporten.records import Login, Stage


async def show_login(
    provider: Provider, login_id: str, browser_id: str | None, cancelled: str | None = None
) -> Outcome:
    return await show_eid_step(provider, login_id, browser_id, cancelled)


async def complete_login(
    provider: Provider,
    login_id: str,
    browser_id: str | None,
    eid_name: str,
    form: Mapping[str, str],
    session_cookie: str | None = None,
) -> Outcome:
    """`session_cookie`: the session cookie the browser sent (a new one replaces it)."""
    login = await load_login(provider, login_id, browser_id, stage="login", form=form, resume=True)
    if not isinstance(login, Login):
        return login  # also a retry of a post that took effect: where the login is now
    assert browser_id is not None  # the login is this browser's
    fitting = fitting_eids(provider, login)
    eid = next((eid for eid in fitting if eid.name == eid_name), None)
    if eid is None or isinstance(eid, UpstreamEid):
        return error_page("error.not_found", status=404, lang=login.request.locale)
    try:
        authentication = await eid.complete(
            form, login.request.acr_values, now=int(provider.clock())
        )
    except EidError as error:
        return await eid_page(
            provider, login, eid_name, error_key=error.message_key, others=len(fitting) > 1
        )
    return await continue_after_authentication(
        provider, login, browser_id, authentication, session_cookie
    )


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
