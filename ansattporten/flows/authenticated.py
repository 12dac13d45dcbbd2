"""The step after authentication, the same for every way a person is authenticated
(TestID's form, an upstream eID's callback, or anything that vouches for the person
later): without representation the login ends with a code; with it, the person goes on
to the organisation picker."""

from __future__ import annotations

from ansattporten import routes
from ansattporten.flows.context import Provider
from ansattporten.flows.issue_code import issue_code
from ansattporten.flows.resume import resume_login
from ansattporten.outcomes import Outcome, RedirectTo, error_page
from ansattporten.records import Authentication, Login


async def continue_after_authentication(
    provider: Provider, login: Login, browser_id: str, authentication: Authentication
) -> Outcome:
    """`login` is at stage "login" and belongs to `browser_id`; a second call for the
    same login (a double submit) finds it moved on and answers where it is now."""
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
