"""The browser's side of the mock Entra ID: authorize, "Pick an account", consent.

After the person picks an account, the tenant's stance on the application decides:
disabled (`unauthorized_client`, AADSTS7000112) or blocked (`access_denied`,
AADSTS50105) go straight back to the client; otherwise the first sign-in of a user to
an application asks for consent (unless an administrator consented for the tenant), and
declining is `access_denied` with AADSTS65004.
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Mapping
from typing import Any

from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath
from litestar.response import Redirect

from ansattporten.upstream_mocks.browser_binding import browser_of, redirect_bound
from ansattporten.upstream_mocks.entra import errors
from ansattporten.upstream_mocks.entra.authorization_request import Refused, parse
from ansattporten.upstream_mocks.entra.claims import SignedIn
from ansattporten.upstream_mocks.entra.fixture import Tenant, User
from ansattporten.upstream_mocks.entra.state import (
    BROWSER_COOKIE,
    CODE_TTL,
    LOGIN_TTL,
    PRODUCT,
    IssuedCode,
    MockEntraState,
    PendingSignIn,
    SignInRequest,
)
from ansattporten.upstream_mocks.memory import Full, random_handle
from ansattporten.upstream_mocks.pages import (
    browser_languages,
    choose_locale,
    first_values,
    language_links,
    render,
    translator,
)
from ansattporten.upstream_mocks.responses import authorization_response

AnyRequest = Request[Any, Any, Any]


def browser_routes(mock: MockEntraState) -> list[HTTPRouteHandler]:
    @get("/{tenant:str}/oauth2/v2.0/authorize")
    async def authorize(request: AnyRequest, tenant: FromPath[str]) -> Response[Any]:
        params, _ = first_values(request.query_params.multi_items())
        locale = choose_locale(params.get("ui_locales"), browser_languages(request))
        if mock.faults.unavailable:
            return error_page(locale, translator(locale)("error.unavailable"), 503)
        parsed = parse(tenant, params, mock.fixture)
        if isinstance(parsed, Refused):
            if parsed.redirect_uri is None:
                return error_page(locale, errors.aadsts(parsed.code, parsed.message), 400)
            return to_client(mock, parsed.redirect_uri, parsed.state, parsed.response_mode,
                             error(parsed.error, parsed.code, parsed.message), locale)  # fmt: skip
        handle, browser = random_handle(), browser_of(request, BROWSER_COOKIE)
        try:
            mock.sign_ins.put(handle, PendingSignIn(parsed, browser), LOGIN_TTL)
        except Full:
            return error_page(locale, translator(locale)("error.unavailable"), 503)
        return redirect_bound(f"/signin/{handle}", BROWSER_COOKIE, browser)

    @get("/signin/{handle:str}")
    async def accounts(request: AnyRequest, handle: FromPath[str]) -> Response[Any]:
        found = signing_in(mock, handle, request, request.query_params.get("locale"))
        if not isinstance(found, tuple):
            return found
        pending, locale = found
        return show_accounts(mock, handle, pending, locale)

    @post("/signin/{handle:str}")
    async def pick_account(request: AnyRequest, handle: FromPath[str]) -> Response[Any]:
        form, _ = first_values((await request.form()).multi_items())
        found = signing_in(mock, handle, request, form.get("locale"))
        if not isinstance(found, tuple):
            return found
        pending, locale = found
        account = find_user(mock, pending.request, form.get("account", ""))
        if account is None:
            return show_accounts(mock, handle, pending, locale, error="error.choose_account")
        tenant, user = account
        refusal = tenant_refusal(mock, pending.request, tenant, user)
        if refusal is not None:
            mock.sign_ins.discard(handle)
            return to_request(mock, pending.request, refusal, locale)
        consent_key = (tenant.tenant_id, user.oid, pending.request.client_id)
        needs_consent = pending.request.prompt == "consent" or (
            tenant.app_access == "user_consent" and consent_key not in mock.consents
        )
        if needs_consent:
            chosen = dataclasses.replace(pending, user=(tenant.tenant_id, user.oid))
            mock.sign_ins.put(handle, chosen, LOGIN_TTL)
            return Redirect(f"/consent/{handle}?locale={locale}", status_code=303)
        return issue_code(mock, handle, pending.request, tenant, user, locale)

    @get("/consent/{handle:str}")
    async def consent_page(request: AnyRequest, handle: FromPath[str]) -> Response[Any]:
        found = signing_in(mock, handle, request, request.query_params.get("locale"))
        if not isinstance(found, tuple):
            return found
        pending, locale = found
        return show_consent(mock, handle, pending, locale)

    @post("/consent/{handle:str}")
    async def consent_answer(request: AnyRequest, handle: FromPath[str]) -> Response[Any]:
        form, _ = first_values((await request.form()).multi_items())
        found = signing_in(mock, handle, request, form.get("locale"))
        if not isinstance(found, tuple):
            return found
        pending, locale = found
        chosen = chosen_user(mock, pending)
        if chosen is None:
            return show_accounts(mock, handle, pending, locale)
        tenant, user = chosen
        if form.get("action") != "accept":
            mock.sign_ins.discard(handle)
            declined = error("access_denied", errors.CONSENT_DECLINED,
                             "The user has declined to consent to access the app.")  # fmt: skip
            return to_request(mock, pending.request, declined, locale)
        mock.consents.add((tenant.tenant_id, user.oid, pending.request.client_id))
        return issue_code(mock, handle, pending.request, tenant, user, locale)

    return [authorize, accounts, pick_account, consent_page, consent_answer]


def current(
    mock: MockEntraState, handle: str, request: AnyRequest, locale_hint: str | None
) -> PendingSignIn | Response[Any]:
    """The pending sign-in for this browser, or the page that says why there is none."""
    locale = choose_locale(locale_hint, browser_languages(request))
    t = translator(locale)
    pending = mock.sign_ins.get(handle)
    if pending is None:
        return error_page(locale, t("error.request_expired"), 400)
    if request.cookies.get(BROWSER_COOKIE) != pending.browser:
        return error_page(locale, t("error.other_browser"), 400)
    return pending


def signing_in(
    mock: MockEntraState, handle: str, request: AnyRequest, locale_hint: str | None
) -> tuple[PendingSignIn, str] | Response[Any]:
    """The pending sign-in and the language of its pages (the asked one, the
    request's `ui_locales`, the browser's); or the page that says why there is none."""
    pending = current(mock, handle, request, locale_hint)
    if not isinstance(pending, PendingSignIn):
        return pending
    locale = choose_locale(locale_hint, pending.request.ui_locales, browser_languages(request))
    return pending, locale


def find_user(
    mock: MockEntraState, request: SignInRequest, account: str
) -> tuple[Tenant, User] | None:
    tenant_id, _, oid = account.partition(":")
    for tenant in mock.tenants_for(request):
        if tenant.tenant_id == tenant_id and (user := tenant.user(oid)) is not None:
            return tenant, user
    return None


def chosen_user(mock: MockEntraState, pending: PendingSignIn) -> tuple[Tenant, User] | None:
    if pending.user is None:
        return None
    return find_user(mock, pending.request, ":".join(pending.user))


def tenant_refusal(
    mock: MockEntraState, request: SignInRequest, tenant: Tenant, user: User
) -> dict[str, str] | None:
    app = mock.fixture.application(request.client_id)
    name = app.display_name if app else request.client_id
    if tenant.app_access == "disabled":
        message = f"Application '{request.client_id}'({name}) is disabled."
        return error("unauthorized_client", errors.APP_DISABLED, message)
    if tenant.app_access == "blocked":
        message = (
            f"Your administrator has configured the application {name} ('{request.client_id}') "
            "to block users unless they are specifically granted ('assigned') access to the "
            f"application. The signed in user '{user.user_principal_name}' is blocked because "
            "they are not a direct member of a group with access, nor had access directly "
            "assigned by an administrator."
        )
        return error("access_denied", errors.USER_NOT_ASSIGNED, message)
    return None


def issue_code(
    mock: MockEntraState,
    handle: str,
    request: SignInRequest,
    tenant: Tenant,
    user: User,
    locale: str,
) -> Response[Any]:
    if mock.sign_ins.take(handle) is None:  # a second submit of the same page
        return error_page(locale, translator(locale)("error.request_expired"), 400)
    code = random_handle()
    signed_in = SignedIn(
        tid=tenant.tenant_id, oid=user.oid, auth_time=int(time.time()), sid=str(uuid.uuid4())
    )
    try:
        mock.codes.put(code, IssuedCode(request=request, signed_in=signed_in), CODE_TTL)
    except Full:
        busy = error("temporarily_unavailable", errors.BAD_REQUEST, "Try again later.")
        return to_request(mock, request, busy, locale)
    return to_request(mock, request, {"code": code}, locale)


def error(name: str, code: int, message: str) -> dict[str, str]:
    return {"error": name, "error_description": errors.aadsts(code, message)}


def to_request(
    mock: MockEntraState, request: SignInRequest, params: Mapping[str, str], locale: str
) -> Response[Any]:
    return to_client(
        mock, request.redirect_uri, request.state, request.response_mode, params, locale
    )


def to_client(
    mock: MockEntraState,
    redirect_uri: str,
    state: str | None,
    response_mode: str,
    params: Mapping[str, str],
    locale: str,
) -> Response[Any]:
    """Entra's authorization response: `params` and `state`, no `iss` unless a fault
    puts one there."""
    answer = dict(params)
    if state is not None:
        answer["state"] = state
    if mock.faults.response_issuer:
        answer["iss"] = mock.faults.response_issuer
    return authorization_response(
        redirect_uri, answer, response_mode=response_mode, locale=locale, product=PRODUCT
    )


def show_accounts(
    mock: MockEntraState,
    handle: str,
    pending: PendingSignIn,
    locale: str,
    *,
    error: str | None = None,
) -> Response[str]:
    app = mock.fixture.application(pending.request.client_id)
    tenants = [
        {
            "name": tenant.display_name,
            "users": [
                {
                    "value": f"{tenant.tenant_id}:{user.oid}",
                    "name": user.name,
                    "upn": user.user_principal_name,
                }
                for user in tenant.users
            ],
        }
        for tenant in mock.tenants_for(pending.request)
        if tenant.users
    ]
    return render(
        "entra_accounts.html",
        locale,
        status_code=400 if error else 200,
        product=PRODUCT,
        client_name=app.display_name if app else pending.request.client_id,
        form_action=f"/signin/{handle}",
        tenants=tenants,
        error=translator(locale)(error) if error else "",
        language_links=language_links(lambda code: f"/signin/{handle}?locale={code}"),
    )


def show_consent(
    mock: MockEntraState, handle: str, pending: PendingSignIn, locale: str
) -> Response[str]:
    chosen = chosen_user(mock, pending)
    app = mock.fixture.application(pending.request.client_id)
    if chosen is None or app is None:
        return show_accounts(mock, handle, pending, locale)
    return render(
        "entra_consent.html",
        locale,
        product=PRODUCT,
        client_name=app.display_name,
        publisher=app.publisher,
        upn=chosen[1].user_principal_name,
        asks_email="email" in pending.request.scopes,
        form_action=f"/consent/{handle}",
        language_links=language_links(lambda code: f"/consent/{handle}?locale={code}"),
    )


def error_page(locale: str, message: str, status_code: int) -> Response[str]:
    """Entra's own error page: the AADSTS text is shown to the person, as Entra does."""
    return render("error.html", locale, status_code=status_code, product=PRODUCT,
                  message=message, code="")  # fmt: skip
