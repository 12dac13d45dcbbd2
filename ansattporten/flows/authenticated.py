"""The step after authentication, the same for every way a person is authenticated
(TestID's form, an upstream eID's callback, or anything that vouches for the person
later): without representation the login ends with a code; with it, the person goes on
to the organisation picker."""

from __future__ import annotations

from ansattporten import routes
from ansattporten.flows.context import Provider
from ansattporten.flows.issue_code import issue_code
from ansattporten.outcomes import Outcome, RedirectTo, error_page
from ansattporten.records import Authentication, Login


async def continue_after_authentication(
    provider: Provider, login: Login, authentication: Authentication
) -> Outcome:
    """`login` is at stage "login"; a second call for the same login (a double submit,
    a replayed answer) finds it moved on and shows that it has ended."""
    if not login.request.authorization_details:
        return await issue_code(provider, login, authentication, authorization_details=None)
    if not await provider.store.record_authentication(login.id, authentication):
        return error_page("error.transaction_finished", status=409, lang=login.request.locale)
    return RedirectTo(provider.issuer + routes.ORGANISATION.format(login_id=login.id))
