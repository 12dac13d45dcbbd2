"""GET|POST /authorize: the start of a login.

1. read the parameters (each at most once)
2. find the client and check the redirect_uri exactly - until this holds, errors are
   shown as a page and never redirected
3. find the pushed request (PAR) if `request_uri` is one of ours: validated when it was
   pushed; one used before means /authorize was retried: the browser that started its
   login resumes it, anyone else goes back to the service (`started_before`); any other
   `request_uri` (a request object by reference) is refused with
   `request_uri_not_supported`, as ID-porten does
4. otherwise unpack a request object (`request`) if one was sent - its parameters are
   the request's (`request_object`) - and validate the request
   (`authorization_request.validate_authorization_request`)
5. the login's language: `ui_locales`, else the browser's
6. this service's isolated session in this browser, if the request may continue it
   (`sessions.continuing`: not with `prompt=login`, past `max_age` or below the level
   asked for); `prompt=none` without one is `login_required`, and with representation
   asked for `interaction_required` (the picker is a page)
7. start a login bound to this browser; a pushed request is marked used in the same
   operation (`Store.start_login_from_pushed`), so it is never used up without a login
   to show for it. With a session the login starts authenticated, on to the
   organisation picker (the registers are asked again) or straight back with a code;
   without one, to the eID
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping

import msgspec

from ansattporten import routes
from ansattporten.errors import (
    InteractionRequired,
    InvalidRequest,
    LoginRequired,
    OAuthError,
    UntrustedClient,
)
from ansattporten.flows.authorization_request import (
    AUTHORIZE_PARAMETERS,
    refuse_request_by_reference,
    validate_authorization_request,
)
from ansattporten.flows.client_response import respond_with_error
from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.flows.issue_code import issue_code
from ansattporten.flows.request_object import unpack_request_object
from ansattporten.flows.resume import resume_login
from ansattporten.flows.sessions import continuing, keep_alive, live_session
from ansattporten.outcomes import Outcome, RedirectTo, error_page
from ansattporten.records import AuthorizationRequest, Client, ClientSession, Login, PushedRequest
from ansattporten.records.ids import hashed, new_id
from ansattporten.spec.rfc9126 import REQUEST_URI_PREFIX, is_request_uri

PAR_ONLY = frozenset({"client_id", "request_uri"})
ALREADY_USED = (
    "this request_uri was already used: its login was started in another browser or "
    "window; push a new request to start a new login"
)


async def authorize(
    provider: Provider,
    pairs: Iterable[tuple[str, str]],
    browser_id: str,
    browser_locale: str | None = None,
    session_cookie: str | None = None,
) -> Outcome:
    """`browser_locale`: the language this browser asks for (the switcher's choice, else
    Accept-Language); the login's pages use it when `ui_locales` names none we have.
    `session_cookie`: the browser's session cookie, if it sent one."""
    params, repeated = read_parameters(pairs)
    try:
        client = await find_trusted_client(provider, params, repeated)
        pushed = await find_pushed_request(provider, client, params)
    except OAuthError as error:
        return error_page("error.untrusted_request", status=400, detail=error.description)
    if pushed is not None and pushed.used:
        return await started_before(provider, client, pushed, browser_id)
    try:
        if repeated:
            raise InvalidRequest(f"parameter {sorted(repeated)[0]!r} is repeated")
        if pushed is not None and (outside := sorted(set(params) - PAR_ONLY)):
            raise InvalidRequest(f"{outside[0]!r} must be sent in the pushed request only")
        if pushed is None:
            refuse_request_by_reference(params)
            params = dict(await unpack_request_object(provider, client, params))
        request = (
            pushed.request
            if pushed
            else validate_authorization_request(
                params, client, provider.settings, provider.representation, provider.acr_offered
            )
        )
        request = with_browser_locale(request, browser_locale)
        session = await session_to_continue(provider, request, session_cookie)
    except OAuthError as error:
        return await refuse(provider, client, pushed.request if pushed else None, params, error)
    login = new_login(provider, request, browser_id, session)
    if pushed is None:
        await provider.store.start_login(login)
    elif not await provider.store.start_login_from_pushed(
        pushed.request_uri, client.client_id, provider.clock(), login
    ):
        return await used_meanwhile(provider, client, pushed, browser_id)
    if session is not None:
        return await continue_session(provider, login, browser_id, session)
    return RedirectTo(provider.issuer + routes.LOGIN.format(login_id=login.id), starts_login=True)


def read_parameters(pairs: Iterable[tuple[str, str]]) -> tuple[dict[str, str], set[str]]:
    """Known parameters, first value wins; names sent twice are reported, not dropped,
    so the request can be refused once it is safe to redirect (RFC 6749 3.1)."""
    params: dict[str, str] = {}
    repeated: set[str] = set()
    for name, value in pairs:
        if name not in AUTHORIZE_PARAMETERS or value == "":
            continue
        if name in params:
            repeated.add(name)
            continue
        params[name] = value
    return params, repeated


async def find_trusted_client(
    provider: Provider, params: Mapping[str, str], repeated: set[str]
) -> Client:
    if repeated & {"client_id", "redirect_uri", "request_uri"}:
        raise UntrustedClient("client_id, redirect_uri or request_uri is repeated")
    client_id = params.get("client_id", "")
    client = await find_client(provider.store, client_id[:200]) if client_id else None
    if client is None:
        raise UntrustedClient("unknown client_id")
    return client


async def find_pushed_request(
    provider: Provider, client: Client, params: dict[str, str]
) -> PushedRequest | None:
    """With PAR the browser carries only client_id and request_uri; the request itself
    comes from the database, for the client that pushed it, as validated then (its
    redirect_uri is checked once more: the client's registration may have changed). It
    is used once: `start_login_from_pushed` marks it used as the login starts. A
    `request_uri` outside PAR's namespace is not ours to fetch: nothing to find
    (`refuse_request_by_reference` answers it)."""
    request_uri = params.get("request_uri")
    if request_uri is None or not request_uri.startswith(REQUEST_URI_PREFIX):
        return None
    if not is_request_uri(request_uri):
        raise UntrustedClient("request_uri is not one this provider issued")
    pushed = await provider.store.find_pushed_request(request_uri, client.client_id)
    if pushed is None or (not pushed.used and pushed.expires_at <= provider.clock()):
        raise UntrustedClient("request_uri is unknown, expired or not yours")
    if pushed.request.redirect_uri not in client.redirect_uris:  # changed since it was pushed
        raise UntrustedClient("the pushed redirect_uri is no longer registered for this client")
    return pushed


async def started_before(
    provider: Provider, client: Client, pushed: PushedRequest, browser_id: str
) -> Outcome:
    """A request_uri used before: /authorize retried (a reload, or a browser retrying after
    an instance stopped mid-response). The browser that started the login from it goes
    on where its login is now (`resume`); anyone else goes back to the service, which
    learns that this request was used and can start a new login. Never a second login
    from one pushed request (RFC 9126 4: one-time use)."""
    login = await provider.store.load_login(pushed.login_id) if pushed.login_id else None
    if (
        login is not None
        and login.expires_at > provider.clock()
        and hmac.compare_digest(login.browser_hash, hashed(browser_id))
    ):
        return await resume_login(provider, login, browser_id)
    request = pushed.request
    return await respond_with_error(
        provider,
        client,
        request.redirect_uri,
        InvalidRequest(ALREADY_USED),
        state=request.state,
        response_mode=request.response_mode,
        lang=request.locale,
    )


async def used_meanwhile(
    provider: Provider, client: Client, pushed: PushedRequest, browser_id: str
) -> Outcome:
    """Another request used the pushed request at the same moment (a second tab, a double
    click); or it expired just now."""
    again = await provider.store.find_pushed_request(pushed.request_uri, pushed.client_id)
    if again is None or not again.used:
        detail = "request_uri is unknown, expired or not yours"
        return error_page("error.untrusted_request", status=400, detail=detail)
    return await started_before(provider, client, again, browser_id)


def with_browser_locale(
    request: AuthorizationRequest, browser_locale: str | None
) -> AuthorizationRequest:
    """The login's language: `ui_locales` first (pushed or sent here), then the
    browser's, then the default."""
    if browser_locale is None or request.locale_requested:
        return request
    return msgspec.structs.replace(request, locale=browser_locale)


async def session_to_continue(
    provider: Provider, request: AuthorizationRequest, session_cookie: str | None
) -> ClientSession | None:
    """This service's live session in this browser, if the request may be answered
    from it (its idle timer starts again); None when the person must authenticate.
    `prompt=none` forbids asking: without a session it is `login_required`, and with
    representation asked for `interaction_required` (the picker is a page)."""
    silent = "none" in request.prompt
    live = await live_session(provider, session_cookie, request.client_id)
    session = continuing(request, live.client if live else None, provider.clock())
    if silent and session is None:
        raise LoginRequired("the person has no session with this service that the request allows")
    if silent and request.authorization_details:
        raise InteractionRequired("representation needs the organisation picker, which is a page")
    if live is None or session is None or await keep_alive(provider, live, session):
        return session
    if silent:
        raise LoginRequired("the session with this service has just ended")
    return None


async def refuse(
    provider: Provider,
    client: Client,
    pushed: AuthorizationRequest | None,
    params: Mapping[str, str],
    error: OAuthError,
) -> Outcome:
    """Back to the client with `error` when its redirect_uri is registered; a page
    otherwise (never a redirect to an unverified URI)."""
    redirect_uri = pushed.redirect_uri if pushed else params.get("redirect_uri")
    if not error.redirectable or redirect_uri is None or redirect_uri not in client.redirect_uris:
        return error_page("error.untrusted_request", status=400, detail=error.description)
    return await respond_with_error(
        provider,
        client,
        redirect_uri,
        error,
        state=pushed.state if pushed else params.get("state"),
        response_mode=pushed.response_mode if pushed else params.get("response_mode"),
    )


async def continue_session(
    provider: Provider, login: Login, browser_id: str, session: ClientSession
) -> Outcome:
    """A login that starts authenticated, with the session's authentication: to the
    picker, whose registers are asked anew for this login (never the answer an earlier
    login got), or straight back to the service with a code."""
    if login.request.authorization_details:
        picker = provider.issuer + routes.ORGANISATION.format(login_id=login.id)
        return RedirectTo(picker, starts_login=True)
    return await issue_code(
        provider, login, browser_id, session.authentication, authorization_details=None
    )


def new_login(
    provider: Provider,
    request: AuthorizationRequest,
    browser_id: str,
    session: ClientSession | None = None,
) -> Login:
    """A login bound to this browser: waiting for the eID, or (continuing `session`)
    authenticated already."""
    now = provider.clock()
    return Login(
        id=new_id(),
        client_id=request.client_id,
        browser_hash=hashed(browser_id),
        csrf_token=new_id(),
        stage="login" if session is None else "choose",
        created_at=now,
        expires_at=now + provider.settings.login_lifetime,
        request=request,
        authentication=None if session is None else session.authentication,
        sid=None if session is None else session.sid,
    )


async def start_login(provider: Provider, request: AuthorizationRequest, browser_id: str) -> str:
    """A login started without PAR (and by the flows' unit tests)."""
    login = new_login(provider, request, browser_id)
    await provider.store.start_login(login)
    return login.id
