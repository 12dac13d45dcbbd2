"""The browser's side of the mock ID-porten: `/authorize` and the login page.

`/authorize` checks the request (or takes the pushed one), remembers it under a random
handle bound to this browser's cookie, and sends the browser to `/login/<handle>`. The
page offers what the request's `acr_values` allow; submitting it ends in a redirect to
the client with `code`, `state` and `iss`, or `error=access_denied` on cancel.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from ansattporten.upstream_mocks.browser_binding import browser_of, redirect_bound
from ansattporten.upstream_mocks.idporten import levels
from ansattporten.upstream_mocks.idporten.authorization_request import (
    AuthorizationRequest,
    RequestRefused,
    parse,
)
from ansattporten.upstream_mocks.idporten.claims import Authenticated
from ansattporten.upstream_mocks.idporten.state import (
    BROWSER_COOKIE,
    CODE_TTL,
    LOGIN_TTL,
    PRODUCT,
    IssuedCode,
    MockIdPortenState,
    PendingLogin,
)
from ansattporten.upstream_mocks.memory import Full, random_handle
from ansattporten.upstream_mocks.pages import (
    choose_locale,
    first_values,
    language_links,
    render,
    translator,
)
from ansattporten.upstream_mocks.responses import authorization_response

AnyRequest = Request[Any, Any, Any]


def browser_routes(mock: MockIdPortenState) -> list[HTTPRouteHandler]:
    @get("/authorize")
    async def authorize(request: AnyRequest) -> Response[Any]:
        params, repeated = first_values(request.query_params.multi_items())
        locale = choose_locale(params.get("ui_locales"))
        if mock.faults.unavailable:
            return error_page(locale, "error.unavailable", 503)
        if repeated:
            return error_page(locale, "error.invalid_request", 400, code="invalid_request")
        resolved = resolve(mock, params)
        if isinstance(resolved, RequestRefused):
            return refused(mock, resolved, choose_locale(params.get("ui_locales")))
        locale = choose_locale(resolved.ui_locales)
        handle, browser = random_handle(), browser_of(request, BROWSER_COOKIE)
        try:
            mock.logins.put(handle, PendingLogin(resolved, browser), LOGIN_TTL)
        except Full:
            return error_page(locale, "error.unavailable", 503)
        return redirect_bound(f"/login/{handle}", BROWSER_COOKIE, browser)

    @get("/login/{handle:str}")
    async def login_page(request: AnyRequest, handle: FromPath[str]) -> Response[Any]:
        pending = mock.logins.get(handle)
        problem = check_pending(pending, request, request.query_params.get("locale"))
        if problem is not None or pending is None:
            return problem or error_page("nb", "error.request_expired", 400)
        locale = choose_locale(request.query_params.get("locale"), pending.request.ui_locales)
        return show_login(mock, handle, pending, locale)

    @post("/login/{handle:str}")
    async def login_submit(request: AnyRequest, handle: FromPath[str]) -> Response[Any]:
        form, _ = first_values((await request.form()).multi_items())
        pending = mock.logins.get(handle)
        problem = check_pending(pending, request, form.get("locale"))
        if problem is not None or pending is None:
            return problem or error_page("nb", "error.request_expired", 400)
        locale = choose_locale(form.get("locale"), pending.request.ui_locales)
        action = form.get("action")
        if action == "cancel":
            mock.logins.discard(handle)
            denied = {"error": "access_denied", "error_description": "The user cancelled"}
            return to_client(mock, pending.request, denied, locale)
        who = authenticate(mock, pending.request, action, form, locale)
        if isinstance(who, dict):
            return show_login(mock, handle, pending, locale, errors=who, selected=form)
        if mock.logins.take(handle) is None:  # a second submit of the same page
            return error_page(locale, "error.request_expired", 400)
        code = random_handle()
        issued = IssuedCode(
            client_id=pending.request.client_id,
            redirect_uri=pending.request.redirect_uri,
            code_challenge=pending.request.code_challenge,
            nonce=pending.request.nonce,
            scopes=pending.request.scopes,
            who=who,
        )
        try:
            mock.codes.put(code, issued, CODE_TTL)
        except Full:
            busy = {"error": "temporarily_unavailable", "error_description": "try again"}
            return to_client(mock, pending.request, busy, locale)
        return to_client(mock, pending.request, {"code": code}, locale)

    return [authorize, login_page, login_submit]


def resolve(
    mock: MockIdPortenState, params: Mapping[str, str]
) -> AuthorizationRequest | RequestRefused:
    """The request itself, or the pushed one named by `request_uri` (used once)."""
    request_uri = params.get("request_uri")
    if request_uri is None:
        return parse(params, mock.fixture)
    pushed = mock.pushed.take(request_uri)
    if pushed is None:
        return RequestRefused(
            "invalid_request_uri",
            "unknown or expired request_uri",
            page_key="error.request_expired",
        )
    if params.get("client_id") != pushed.client_id:
        return RequestRefused(
            "invalid_request", "client_id does not match the pushed request",
            page_key="error.invalid_request",
        )  # fmt: skip
    if set(params) - {"client_id", "request_uri"}:
        return RequestRefused(
            "invalid_request",
            "with request_uri, only client_id may be sent to /authorize",
            pushed.redirect_uri,
            pushed.state,
            pushed.response_mode,
        )
    return pushed


def check_pending(
    pending: PendingLogin | None, request: AnyRequest, locale_hint: str | None
) -> Response[Any] | None:
    locale = choose_locale(locale_hint)
    if pending is None:
        return error_page(locale, "error.request_expired", 400)
    if request.cookies.get(BROWSER_COOKIE) != pending.browser:
        return error_page(locale, "error.other_browser", 400)
    return None


def authenticate(
    mock: MockIdPortenState,
    request: AuthorizationRequest,
    action: str | None,
    form: Mapping[str, str],
    locale: str,
) -> Authenticated | dict[str, str]:
    """The person the tester chose, or the errors to show (field -> message key)."""
    offer = levels.offer_for(request.acr_values)
    now = int(time.time())
    if action == "national" and offer.national:
        person = mock.fixture.person(form.get("pid", ""))
        method = levels.method(form.get("method", ""))
        errors = {}
        if person is None:
            errors["pid"] = "error.choose_person"
        if method is None or method not in offer.national:
            errors["method"] = "error.choose_method"
        if errors or person is None or method is None:
            return errors
        return Authenticated(
            subject_key=person.pid, pid=person.pid, acr=method.acr, amr=method.amr,
            given_name=person.given_name, family_name=person.family_name,
            auth_time=now, locale=locale, sid=random_handle(),
        )  # fmt: skip
    if action == "eidas" and offer.eidas_levels:
        foreigner = mock.fixture.eidas_person(form.get("eidas_person", ""))
        level = form.get("level", "")
        errors = {}
        if foreigner is None:
            errors["eidas_person"] = "error.choose_person"
        if level not in offer.eidas_levels:
            errors["level"] = "error.choose_level"
        if errors or foreigner is None:
            return errors
        return Authenticated(
            subject_key=foreigner.eidas_person_identifier, pid=foreigner.pid, acr=level,
            amr=levels.EIDAS_AMR, given_name=foreigner.given_name,
            family_name=foreigner.family_name, auth_time=now, locale=locale,
            sid=random_handle(), eidas_person_identifier=foreigner.eidas_person_identifier,
            birthdate=foreigner.birthdate,
        )  # fmt: skip
    return {"pid" if offer.national else "eidas_person": "error.choose_person"}


def show_login(
    mock: MockIdPortenState,
    handle: str,
    pending: PendingLogin,
    locale: str,
    *,
    errors: Mapping[str, str] | None = None,
    selected: Mapping[str, str] | None = None,
) -> Response[str]:
    t = translator(locale)
    offer = levels.offer_for(pending.request.acr_values)
    client = mock.fixture.client(pending.request.client_id)
    texts = {field: t(key) for field, key in (errors or {}).items()}
    return render(
        "idporten_login.html",
        locale,
        status_code=400 if errors else 200,
        product=PRODUCT,
        client_name=(client.client_name or client.client_id) if client else "",
        form_action=f"/login/{handle}",
        people=[{"pid": p.pid, "name": p.name} for p in mock.fixture.people],
        methods=list(offer.national),
        eidas_people=[
            {
                "identifier": p.eidas_person_identifier,
                "name": p.name,
                "country": p.country,
                "birthdate": p.birthdate,
                "pid": p.pid,
            }
            for p in mock.fixture.eidas_people
        ],
        eidas_levels=list(offer.eidas_levels),
        errors=texts,
        errors_list=[(f"{field}-1", text) for field, text in texts.items()],
        selected=dict(selected or {}),
        language_links=language_links(lambda code: f"/login/{handle}?locale={code}"),
    )


def to_client(
    mock: MockIdPortenState,
    request: AuthorizationRequest,
    params: Mapping[str, str],
    locale: str,
) -> Response[Any]:
    return answer(mock, request.redirect_uri, request.state, request.response_mode, params, locale)


def refused(mock: MockIdPortenState, refusal: RequestRefused, locale: str) -> Response[Any]:
    if refusal.redirect_uri is None:
        return error_page(locale, refusal.page_key, 400, code=refusal.error)
    error = {"error": refusal.error, "error_description": refusal.description}
    return answer(mock, refusal.redirect_uri, refusal.state, refusal.response_mode, error, locale)


def answer(
    mock: MockIdPortenState,
    redirect_uri: str,
    state: str | None,
    response_mode: str,
    params: Mapping[str, str],
    locale: str,
) -> Response[Any]:
    """The authorization response: `params` plus `state` and `iss` (RFC 9207)."""
    sent = dict(params)
    if state is not None:
        sent["state"] = state
    issuer = mock.response_issuer()
    if issuer is not None:
        sent["iss"] = issuer
    return authorization_response(
        redirect_uri, sent, response_mode=response_mode, locale=locale, product=PRODUCT
    )


def error_page(locale: str, key: str, status_code: int, *, code: str = "") -> Response[str]:
    t = translator(locale)
    return render(
        "error.html", locale, status_code=status_code, product=PRODUCT, message=t(key), code=code
    )
