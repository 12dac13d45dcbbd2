"""Endpoints the person's browser visits: /authorize, the eID, the organisation picker,
/logout.

Every page is bound to the browser cookie; the flows check it against the login
transaction, so these handlers only pass it along, with the session cookie where a
flow reads it (/authorize, the eID's completion, /logout). A flow's outcome says how the
session cookie changes; rendering it sets or clears it.
"""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.params import FromPath

from ansattporten import routes
from ansattporten.flows import (
    authorize,
    eid_choice,
    login,
    logout,
    organisation,
    upstream_callback,
)
from ansattporten.web.browser_cookie import (
    browser_id,
    new_browser_id,
    set_browser_cookie,
)
from ansattporten.web.forms import form_pairs, query_pairs
from ansattporten.web.metrics import record_login_outcome
from ansattporten.web.page_language import browser_locale
from ansattporten.web.respond import respond
from ansattporten.web.session_cookie import session_cookie
from ansattporten.web.state import AnyRequest, provider_of


async def _authorize(request: AnyRequest, pairs: list[tuple[str, str]]) -> Response[Any]:
    provider = provider_of(request)
    browser = browser_id(request) or new_browser_id(request)
    outcome = await authorize.authorize(
        provider, pairs, browser, browser_locale(request), session_cookie(request)
    )
    record_login_outcome(outcome)
    response = respond(request, outcome)
    set_browser_cookie(response, browser, secure=provider.settings.cookie_secure)
    return response


@get(routes.AUTHORIZE)
async def authorize_get(request: AnyRequest) -> Response[Any]:
    return await _authorize(request, query_pairs(request))


@post(routes.AUTHORIZE, status_code=303)
async def authorize_post(request: AnyRequest) -> Response[Any]:
    return await _authorize(request, await form_pairs(request))


@get(routes.route(routes.LOGIN))
async def login_page(request: AnyRequest, login_id: FromPath[str]) -> Response[Any]:
    cancelled = request.query_params.get("cancelled")
    outcome = await login.show_login(provider_of(request), login_id, browser_id(request), cancelled)
    return respond(request, outcome)


@post(routes.route(routes.LOGIN_CHOOSE_EID), status_code=303)
async def login_choose_eid(request: AnyRequest, login_id: FromPath[str]) -> Response[Any]:
    form = dict(await form_pairs(request))
    outcome = await eid_choice.choose_eid(provider_of(request), login_id, browser_id(request), form)
    record_login_outcome(outcome)
    return respond(request, outcome)


@get(routes.route(routes.LOGIN_WITH))
async def login_with(
    request: AnyRequest, login_id: FromPath[str], eid: FromPath[str]
) -> Response[Any]:
    outcome = await eid_choice.show_form_eid(
        provider_of(request), login_id, browser_id(request), eid
    )
    return respond(request, outcome)


@get(routes.route(routes.EID_CALLBACK))
async def eid_callback(request: AnyRequest, eid: FromPath[str]) -> Response[Any]:
    """The upstream's answer arrives as a top-level GET from its site: the browser
    cookie (SameSite=Lax) comes along, which binds the answer to this browser."""
    outcome = await upstream_callback.upstream_callback(
        provider_of(request),
        eid,
        query_pairs(request),
        browser_id(request),
        session_cookie(request),
    )
    record_login_outcome(outcome)
    return respond(request, outcome)


@post(routes.route(routes.LOGIN_CANCEL), status_code=303)
async def login_cancel(request: AnyRequest, login_id: FromPath[str]) -> Response[Any]:
    form = dict(await form_pairs(request))
    outcome = await login.cancel_login(provider_of(request), login_id, browser_id(request), form)
    record_login_outcome(outcome)
    return respond(request, outcome)


@get(routes.route(routes.LOGIN_RETURN))
async def login_return(request: AnyRequest, login_id: FromPath[str]) -> Response[Any]:
    outcome = await login.return_after_failure(provider_of(request), login_id, browser_id(request))
    return respond(request, outcome)


@get(routes.route(routes.LOGIN_FAILED))
async def login_failed(request: AnyRequest, login_id: FromPath[str]) -> Response[Any]:
    outcome = await login.show_failure(provider_of(request), login_id, browser_id(request))
    return respond(request, outcome)


@post(routes.route(routes.LOGIN_EID), status_code=303)
async def login_submit(
    request: AnyRequest, login_id: FromPath[str], eid: FromPath[str]
) -> Response[Any]:
    form = dict(await form_pairs(request))
    outcome = await login.complete_login(
        provider_of(request), login_id, browser_id(request), eid, form, session_cookie(request)
    )
    record_login_outcome(outcome)
    return respond(request, outcome)


@get(routes.route(routes.ORGANISATION))
async def picker_page(request: AnyRequest, login_id: FromPath[str]) -> Response[Any]:
    outcome = await organisation.show_picker(
        provider_of(request), login_id, browser_id(request), query_pairs(request)
    )
    record_login_outcome(outcome)
    return respond(request, outcome)


@post(routes.route(routes.ORGANISATION), status_code=303)
async def picker_choice(request: AnyRequest, login_id: FromPath[str]) -> Response[Any]:
    outcome = await organisation.choose(
        provider_of(request), login_id, browser_id(request), await form_pairs(request)
    )
    record_login_outcome(outcome)
    return respond(request, outcome)


@get(routes.LOGOUT)
async def logout_get(request: AnyRequest) -> Response[Any]:
    outcome = await logout.logout(
        provider_of(request), query_pairs(request), session_cookie(request)
    )
    return respond(request, outcome)


@post(routes.LOGOUT, status_code=303)
async def logout_post(request: AnyRequest) -> Response[Any]:
    outcome = await logout.logout(
        provider_of(request), await form_pairs(request), session_cookie(request)
    )
    return respond(request, outcome)


handlers = [
    logout_get,
    logout_post,
    authorize_get,
    authorize_post,
    login_page,
    login_choose_eid,
    login_with,
    eid_callback,
    login_cancel,
    login_return,
    login_failed,
    login_submit,
    picker_page,
    picker_choice,
]
