"""An employee-facing service: logs the person in through Ansattporten asking for an
Altinn resource (or for whatever `details` says, e.g. an agency register's type), shows
the organisation they chose and their rights, and (when an API URL is configured) calls
that API with the access token. Its pages are in the person's language, and it asks
Ansattporten for the same language. "Switch organisation" is a new authorization
request: within the person's session with this service, Ansattporten shows the picker
again without authenticating. "Log out" ends the session there, and Ansattporten tells
the service by back-channel logout (`examples.common.logout_routes`).

Run: `python -m examples.employee_service --issuer http://127.0.0.1:8000 --port 8001`
(or let `ansattporten demo` start it).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

import httpx
from litestar import Litestar, Request, Response, get, post
from litestar.response import Redirect

from examples.common.backchannel_logout import EndedSessions
from examples.common.language import locale_of
from examples.common.logout_routes import logout_buttons, logout_handlers, remember_login
from examples.common.pages import (
    choose_language,
    failed_login,
    login_button,
    page,
    recall,
    remember,
    session_middleware,
    translator,
)
from examples.common.relying_party import LoginFailed, RelyingParty

RESOURCE = "urn:altinn:resource:app_ttd_apps-test"

__all__ = ["RESOURCE", "create_employee_service", "describe_parties", "page"]


def describe_parties(details: list[dict[str, Any]], t: Callable[..., str]) -> str:
    items = []
    for detail in details:
        for party in detail.get("authorized_parties", []):
            orgno = party["orgno"]["ID"].split(":", 1)[1]
            rights = party.get("actions") or party.get("rights") or []
            about = ", ".join(v for v in (orgno, party.get("unit_type", "")) if v)
            items.append(
                f"<li data-orgno='{html.escape(orgno)}'>{html.escape(party['name'])} "
                f"({html.escape(about)}) "
                f"{html.escape(t('employee.rights'))}: {html.escape(', '.join(rights) or '-')}</li>"
            )
    if not items:
        return f"<p id='representation'>{html.escape(t('employee.self'))}</p>"
    return f"<ul id='representation'>{''.join(items)}</ul>"


def describe_person(claims: dict[str, Any], t: Callable[..., str]) -> str:
    """Who the id_token says logged in, and how (the eID's `amr`)."""
    shown = [("name", claims.get("name")), ("email", claims.get("email")),
             ("eidas_person_identifier", claims.get("eidas_person_identifier"))]  # fmt: skip
    who = ", ".join(html.escape(str(value)) for _, value in shown if value) or "-"
    amr = ", ".join(html.escape(str(value)) for value in claims.get("amr", []))
    return (
        f"<p>{html.escape(t('employee.who'))}: <span id='who'>{who}</span></p>"
        f"<p>{html.escape(t('employee.eid'))}: <span id='amr'>{amr}</span></p>"
    )


async def call_api(api_url: str, access_token: str, t: Callable[..., str]) -> str:
    """The API's answer as a page fragment: status in `#api-status`, body in `#api`."""
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            answer = await http.get(api_url, headers={"Authorization": f"Bearer {access_token}"})
    except httpx.HTTPError as exc:
        return f"<h2>API</h2><p id='api-error'>{html.escape(type(exc).__name__)}</p>"
    return (
        f"<h2>API</h2><p>{html.escape(t('employee.api_answer'))} "
        f"<code>{html.escape(api_url)}</code>: "
        f"<span id='api-status'>{answer.status_code}</span></p>"
        f"<pre id='api'>{html.escape(answer.text)}</pre>"
    )


def create_employee_service(
    *,
    issuer: str,
    base_url: str,
    client_id: str,
    client_secret: str,
    api_url: str | None = None,
    resource: str = RESOURCE,
    details: list[dict[str, Any]] | None = None,
    title_key: str = "employee.title",
    acr_values: str | None = None,
) -> Litestar:
    """`details` replaces the default request (one `ansattporten:altinn:resource` object
    for `resource`), e.g. `[{"type": "myagency:role"}]` for an agency's own register.
    `title_key` names the service in the texts (`examples/common/texts`). `acr_values`
    names the eIDs the service accepts (`idporten-loa-substantial entraid` offers the
    national eIDs and Entra ID); Ansattporten's default when absent."""
    rp = RelyingParty(
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        redirect_uri=f"{base_url}/callback",
    )
    requested = details or [{"type": "ansattporten:altinn:resource", "resource": resource}]
    ended = EndedSessions(rp)

    @get("/")
    async def home(request: Request[Any, Any, Any]) -> Response[str]:
        t = translator(request)
        return page(request, t(title_key), login_button(t("employee.login")))

    @post("/login", status_code=303)
    async def login(request: Request[Any, Any, Any]) -> Redirect:
        url, pending = await rp.start_login(
            requested, acr=acr_values, ui_locales=locale_of(request)
        )
        remember(request, pending)
        return Redirect(url, status_code=303)

    @get("/callback")
    async def callback(request: Request[Any, Any, Any]) -> Response[str]:
        t = translator(request)
        pending = recall(request)
        if pending is None:
            return page(request, t("login.failed.title"), f"<p>{t('login.none')}</p>", 400)
        try:
            token, claims = await rp.finish_login(pending, dict(request.query_params))
        except LoginFailed as failed:
            return failed_login(request, failed.error, str(failed))
        except (ValueError, KeyError, httpx.HTTPError) as exc:
            return failed_login(request, "", str(exc))
        remember_login(request, token["id_token"], claims.get("sid"))
        granted = token.get("authorization_details", [])
        api_answer = await call_api(api_url, token["access_token"], t) if api_url else ""
        return page(
            request,
            t("employee.done"),
            f"{describe_person(claims, t)}"
            f"<p>acr: <span id='acr'>{html.escape(str(claims.get('acr')))}</span></p>"
            f"<h2>{html.escape(t('employee.representation'))}</h2>"
            f"{describe_parties(granted, t)}"
            f"<h2>authorization_details</h2><pre id='details'>"
            f"{html.escape(json.dumps(granted, ensure_ascii=False, indent=2))}</pre>"
            f"{api_answer}{logout_buttons(t)}",
        )

    return Litestar(
        route_handlers=[
            home,
            login,
            callback,
            choose_language,
            *logout_handlers(rp, ended, base_url),
        ],
        middleware=[session_middleware(client_id)],
        openapi_config=None,
    )
