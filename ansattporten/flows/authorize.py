"""GET|POST /authorize: the start of a login.

1. read the parameters (each at most once)
2. find the client and check the redirect_uri exactly - until this holds, errors are
   shown as a page and never redirected
3. unpack a pushed request (PAR) if `request_uri` is one of ours: validated when it was
   pushed; any other `request_uri` (a request object by reference) is refused with
   `request_uri_not_supported`, as ID-porten does
4. otherwise unpack a request object (`request`) if one was sent - its parameters are
   the request's (`request_object`) - and validate the request
   (`authorization_request.validate_authorization_request`)
5. `prompt=none` cannot be honoured: there is no SSO
6. the login's language: `ui_locales`, else the browser's
7. start a login bound to this browser and send the person to the eID
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

from ansattporten import routes
from ansattporten.errors import InvalidRequest, LoginRequired, OAuthError, UntrustedClient
from ansattporten.flows.authorization_request import (
    AUTHORIZE_PARAMETERS,
    refuse_request_by_reference,
    validate_authorization_request,
)
from ansattporten.flows.client_response import respond_with_error
from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.flows.request_object import unpack_request_object
from ansattporten.outcomes import Outcome, RedirectTo, error_page
from ansattporten.records import AuthorizationRequest, Client, Login
from ansattporten.records.ids import hashed, new_id
from ansattporten.spec.rfc9126 import REQUEST_URI_PREFIX, is_request_uri

PAR_ONLY = frozenset({"client_id", "request_uri"})


async def authorize(
    provider: Provider,
    pairs: Iterable[tuple[str, str]],
    browser_id: str,
    browser_locale: str | None = None,
) -> Outcome:
    """`browser_locale`: the language this browser asks for (the switcher's choice, else
    Accept-Language); the login's pages use it when `ui_locales` names none we have."""
    params, repeated = read_parameters(pairs)
    try:
        client = await find_trusted_client(provider, params, repeated)
        pushed, outside_par = await unpack_pushed_request(provider, client, params)
    except OAuthError as error:
        return error_page("error.untrusted_request", status=400, detail=error.description)
    try:
        if repeated:
            raise InvalidRequest(f"parameter {sorted(repeated)[0]!r} is repeated")
        if outside_par:
            raise InvalidRequest(f"{outside_par!r} must be sent in the pushed request only")
        if pushed is None:
            refuse_request_by_reference(params)
            params = dict(await unpack_request_object(provider, client, params))
        request = pushed or validate_authorization_request(
            params, client, provider.settings, provider.representation
        )
        refuse_prompt_none(request)
        request = with_browser_locale(request, browser_locale)
    except OAuthError as error:
        return await refuse(provider, client, pushed, params, error)
    login_id = await start_login(provider, request, browser_id)
    return RedirectTo(provider.issuer + routes.LOGIN.format(login_id=login_id), starts_login=True)


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


async def unpack_pushed_request(
    provider: Provider, client: Client, params: dict[str, str]
) -> tuple[AuthorizationRequest | None, str | None]:
    """With PAR the browser carries only client_id and request_uri; the request itself
    comes from the database, once, for the client that pushed it, as validated then (its
    redirect_uri is checked once more: the client's registration may have changed).
    Also returns the first parameter sent beside request_uri, which must be refused.
    A `request_uri` outside PAR's namespace is not ours to fetch: nothing to unpack
    (`refuse_request_objects` answers it)."""
    request_uri = params.get("request_uri")
    if request_uri is None or not request_uri.startswith(REQUEST_URI_PREFIX):
        return None, None
    if not is_request_uri(request_uri):
        raise UntrustedClient("request_uri is not one this provider issued")
    pushed = await provider.store.consume_pushed_request(
        request_uri, client.client_id, provider.clock()
    )
    if pushed is None:
        raise UntrustedClient("request_uri is unknown, expired, already used or not yours")
    if pushed.request.redirect_uri not in client.redirect_uris:  # changed since it was pushed
        raise UntrustedClient("the pushed redirect_uri is no longer registered for this client")
    extra = sorted(set(params) - PAR_ONLY)
    return pushed.request, (extra[0] if extra else None)


def with_browser_locale(
    request: AuthorizationRequest, browser_locale: str | None
) -> AuthorizationRequest:
    """The login's language: `ui_locales` first (pushed or sent here), then the
    browser's, then the default."""
    if browser_locale is None or request.locale_requested:
        return request
    return msgspec.structs.replace(request, locale=browser_locale)


def refuse_prompt_none(request: AuthorizationRequest) -> None:
    if "none" in request.prompt:
        raise LoginRequired("there is no single sign-on: the person must log in")


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


async def start_login(provider: Provider, request: AuthorizationRequest, browser_id: str) -> str:
    now = provider.clock()
    login = Login(
        id=new_id(),
        client_id=request.client_id,
        browser_hash=hashed(browser_id),
        csrf_token=new_id(),
        stage="login",
        created_at=now,
        expires_at=now + provider.settings.login_lifetime,
        request=request,
    )
    await provider.store.start_login(login)
    return login.id
