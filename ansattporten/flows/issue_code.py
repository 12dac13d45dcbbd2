"""The end of a login: a grant and a single-use code, or a failure the client learns.

Grant, code, audit record and the login's final stage are written together
(`Store.finish_login`), so a failure leaves nothing half-written and a form posted
twice issues one code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from ansattporten import routes
from ansattporten.errors import OAuthError
from ansattporten.flows.client_response import respond_with_error
from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.flows.login_answer import code_again, sealed_code, send_back
from ansattporten.flows.sessions import subject_of
from ansattporten.outcomes import Outcome, ShowPage, error_page
from ansattporten.records import (
    AuditRecord,
    Authentication,
    Choice,
    Code,
    FailurePage,
    Grant,
    GrantClaims,
    Login,
    SourceTiming,
    TokenClaims,
)
from ansattporten.records.ids import hashed, new_grant_id, new_id

RETURN_DESCRIPTIONS = {
    "access_denied": "the person cancelled the login or may not complete it",
    "temporarily_unavailable": "an authoritative register did not answer in time",
}
"""`error_description` of a login that ends without a code (spec 7: always sent)."""


async def issue_code(
    provider: Provider,
    login: Login,
    browser_id: str,
    authentication: Authentication,
    *,
    authorization_details: list[dict[str, Any]] | None,
    chosen_orgnos: Sequence[str] = (),
    audit: AuditRecord | None = None,
) -> Outcome:
    """Finish `login` for `authentication`; `authorization_details` is None when the
    login asked for no representation. The code is kept with the login, sealed for
    `browser_id` (`login_answer`), so this browser retrying the step gets it again."""
    request = login.request
    now = provider.clock()
    client = await find_client(provider.store, request.client_id)
    if client is None:  # removed while the person was logging in
        return error_page("error.untrusted_request", status=400, lang=request.locale)
    person = authentication.person
    claims = GrantClaims(
        sub=subject_of(provider, client, person),
        person=person,
        acr=authentication.acr,
        amr=authentication.amr,
        auth_time=authentication.auth_time,
        scope=" ".join(request.scope),
        locale=request.locale,
        sid=login.sid,
    )
    grant = Grant(
        id=new_grant_id(),
        client_id=request.client_id,
        claims=claims,
        authorization_details=authorization_details,
        choice=None
        if authorization_details is None
        else Choice(requested=request.authorization_details, chosen=tuple(chosen_orgnos)),
        created_at=now,
        expires_at=now + provider.settings.grant_lifetime,
    )
    code = new_id()
    code_expires_at = now + provider.settings.code_lifetime
    finished = await provider.store.finish_login(
        login.id,
        login.stage,
        grant=grant,
        code=Code(
            code_hash=hashed(code),
            client_id=request.client_id,
            grant_id=grant.id,
            redirect_uri=request.redirect_uri,
            code_challenge=request.code_challenge,
            claims=TokenClaims(
                **msgspec.structs.asdict(claims),
                nonce=request.nonce,
                authorization_details=authorization_details,
            ),
            expires_at=code_expires_at,
            dpop_jkt=request.dpop_jkt,
        ),
        audit=audit,
        answer=sealed_code(browser_id, login.id, code, code_expires_at),
    )
    if finished:
        return await send_back(provider, login, code)
    return await finished_meanwhile(provider, login.id, browser_id)


async def finished_meanwhile(provider: Provider, login_id: str, browser_id: str) -> Outcome:
    """Another request of this browser (a form posted twice at once) finished the login
    first: the same answer it got."""
    login = await provider.store.load_login(login_id)
    if login is not None and login.stage == "done":
        code = code_again(login, browser_id, provider.clock())
        if code is not None:
            return await send_back(provider, login, code)
    lang = login.request.locale if login else None
    return error_page("error.transaction_finished", status=409, lang=lang)


async def fail_login(
    provider: Provider,
    login: Login,
    error: OAuthError,
    message_key: str,
    *,
    audit: AuditRecord | None = None,
    status: int = 400,
    **message_args: str,
) -> Outcome:
    """End the login without a code: the person sees why, with a way back to the service
    that tells it `error` (the client is trusted: its redirect_uri was verified). The
    page is kept with the login, so the language switcher can show it again."""
    page = FailurePage(message_key=message_key, status=status, message_args=message_args)
    await provider.store.fail_login(login.id, login.stage, error.error, audit, page)
    return failure_page(login, page)


def failure_page(login: Login, page: FailurePage) -> ShowPage:
    return error_page(
        page.message_key,
        status=page.status,
        back_url=routes.LOGIN_RETURN.format(login_id=login.id),
        lang=login.request.locale,
        language_next=routes.LOGIN_FAILED.format(login_id=login.id),
        **page.message_args,
    )


async def return_to_client(provider: Provider, login: Login, failure: str | None = None) -> Outcome:
    """The "back to the service" link of a failed login: the client learns the error."""
    request = login.request
    client = await find_client(provider.store, request.client_id)
    if client is None:  # removed while the person was logging in
        return error_page("error.untrusted_request", status=400, lang=request.locale)
    code = failure or login.failure or "access_denied"
    error = OAuthError(RETURN_DESCRIPTIONS.get(code, "the login was not completed"))
    error.error = code
    return await respond_with_error(
        provider,
        client,
        request.redirect_uri,
        error,
        state=request.state,
        response_mode=request.response_mode,
        lang=request.locale,
    )


def audit_record(
    provider: Provider,
    login: Login,
    outcome: str,
    *,
    offered: Sequence[str] = (),
    chosen: Sequence[str] = (),
    timings: Sequence[SourceTiming] = (),
) -> AuditRecord:
    """Who logged in for which client (in which isolated session), what was offered and
    chosen (organisation numbers), and how the registers answered."""
    authentication = login.authentication
    return AuditRecord(
        created_at=provider.clock(),
        pid=authentication.person.pid if authentication else None,
        client_id=login.client_id,
        outcome=outcome,
        offered=tuple(offered),
        chosen=tuple(chosen),
        sources=tuple(timings),
        sid=login.sid,
    )
