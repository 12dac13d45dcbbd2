"""The step after authentication, the same for every way a person is authenticated
(TestID's form, an upstream eID's callback, or anything that vouches for the person
later).

Its `Authentication` comes here. In one database operation the login moves
on and the browser's session is opened or continued under a new cookie value, with this
service's isolated session holding the authentication (`sessions.open_session`). Then
the login ends with a code, or goes on to the organisation picker.
"""

from __future__ import annotations

import msgspec

from ansattporten import routes
from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.flows.issue_code import issue_code
from ansattporten.flows.resume import resume_login
from ansattporten.flows.sessions import open_session
from ansattporten.outcomes import JsonBody, Outcome, RedirectTo, error_page, with_session
from ansattporten.records import Authentication, Login


async def continue_after_authentication(
    provider: Provider,
    login: Login,
    browser_id: str,
    authentication: Authentication,
    presented_cookie: str | None = None,
) -> Outcome:
    """`login` (at stage "login", this browser's) was authenticated as `authentication`;
    `presented_cookie` is the session cookie the browser sent, if any (never adopted).
    A second call for the same login (a double submit) finds it moved on and answers
    where it is now."""
    client = await find_client(provider.store, login.client_id)
    if client is None:  # removed while the person was logging in
        return error_page("error.untrusted_request", status=400, lang=login.request.locale)
    cookie, opening = await open_session(provider, client, authentication, presented_cookie)
    if not await provider.store.record_authentication(login.id, authentication, opening):
        return await where_it_is_now(provider, login.id, browser_id)  # a double post won
    login = msgspec.structs.replace(
        login, stage="choose", authentication=authentication, sid=opening.client.sid
    )
    if login.request.authorization_details:
        picker = provider.issuer + routes.ORGANISATION.format(login_id=login.id)
        return with_session(RedirectTo(picker), cookie)
    outcome = await issue_code(
        provider, login, browser_id, authentication, authorization_details=None
    )
    assert not isinstance(outcome, JsonBody)
    return with_session(outcome, cookie)


async def where_it_is_now(provider: Provider, login_id: str, browser_id: str) -> Outcome:
    """After another request of this browser moved the login on at the same moment."""
    login = await provider.store.load_login(login_id)
    if login is None:
        return error_page("error.transaction_unknown", status=404)
    return await resume_login(provider, login, browser_id)
