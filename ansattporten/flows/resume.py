"""A login step asked for after the login moved on: the answer of where it is now.

A browser retries a step that took effect but whose answer it never got (an instance
stopped mid-response, the connection dropped, the person pressed reload), or opens an
address of an earlier step. Each gets what the login's stage says, as the first time:

- at the eID ("login"): the eID's page
- authenticated, at the picker ("choose"): the picker (a retried login post lands where
  the first one sent the browser)
- finished ("done"): back to the service with the same code, while it is valid
  (`login_answer`); after that, "already finished, go back to the service"
- failed: the page the person was shown, with its way back to the service; a cancelled
  login (no page: the cancel itself answered, and answers a retried cancel again,
  `login.cancel_login`) says "already ended, go back to the service"

Only ever for the browser that started the login (and, for a form, with its CSRF
token): `transaction.load_login` checks both before it resumes.
"""

from __future__ import annotations

from ansattporten import routes
from ansattporten.flows.context import Provider
from ansattporten.flows.issue_code import failure_page
from ansattporten.flows.login_answer import code_again, send_back
from ansattporten.outcomes import Outcome, RedirectTo, error_page
from ansattporten.records import Login


async def resume_login(provider: Provider, login: Login, browser_id: str) -> Outcome:
    if login.stage == "login":
        return RedirectTo(provider.issuer + routes.LOGIN.format(login_id=login.id))
    if login.stage == "choose":
        return RedirectTo(provider.issuer + routes.ORGANISATION.format(login_id=login.id))
    if login.stage == "failed" and login.failure_page is not None:
        return failure_page(login, login.failure_page)
    code = code_again(login, browser_id, provider.clock()) if login.stage == "done" else None
    if code is not None:
        return await send_back(provider, login, code)
    return error_page("error.transaction_finished", status=409, lang=login.request.locale)
