"""An employee-facing service: logs the person in through Ansattporten asking for an
Altinn resource, shows the organisation they chose and their rights, and (when an API
URL is configured) calls an API with the access token.

Run: `python -m examples.employee_service --issuer http://127.0.0.1:8000` (or let
`ansattporten demo` start it).
"""

from __future__ import annotations

import html
import json
import os
from typing import Any

import httpx
from litestar import Litestar, Request, Response, get, post
from litestar.datastructures import State
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.response import Redirect

from examples.common.relying_party import PendingLogin, RelyingParty

RESOURCE = "urn:altinn:resource:app_ttd_apps-test"


def page(title: str, body: str, status: int = 200) -> Response[str]:
    return Response(
        f"<!doctype html><html lang='nb'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title></head><body><main>"
        f"<h1>{html.escape(title)}</h1>{body}</main></body></html>",
        media_type="text/html",
        status_code=status,
    )


def describe_parties(details: list[dict[str, Any]]) -> str:
    items = []
    for detail in details:
        for party in detail.get("authorized_parties", []):
            orgno = party["orgno"]["ID"].split(":", 1)[1]
            actions = ", ".join(party.get("actions", [])) or "-"
            items.append(
                f"<li data-orgno='{html.escape(orgno)}'>{html.escape(party['name'])} "
                f"({html.escape(orgno)}, {html.escape(party.get('unit_type', ''))}) "
                f"actions: {html.escape(actions)}</li>"
            )
    if not items:
        return "<p id='representation'>Du representerer deg selv.</p>"
    return f"<ul id='representation'>{''.join(items)}</ul>"


def create_employee_service(
    *,
    issuer: str,
    base_url: str,
    client_id: str,
    client_secret: str,
    api_url: str | None = None,
    resource: str = RESOURCE,
) -> Litestar:
    rp = RelyingParty(
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        redirect_uri=f"{base_url}/callback",
    )

    @get("/")
    async def home() -> Response[str]:
        return page(
            "Ansattjeneste (eksempel)",
            "<form method='post' action='/login'><button type='submit' id='login'>"
            "Logg inn som ansatt</button></form>",
        )

    @post("/login", status_code=303)
    async def login(request: Request[Any, Any, Any]) -> Redirect:
        details = [{"type": "ansattporten:altinn:resource", "resource": resource}]
        url, pending = await rp.start_login(details)
        request.session["pending"] = [pending.state, pending.nonce, pending.code_verifier]
        return Redirect(url, status_code=303)

    @get("/callback")
    async def callback(request: Request[Any, Any, Any]) -> Response[str]:
        saved = request.session.pop("pending", None)
        if not saved:
            return page("Innlogging feilet", "<p>Ingen innlogging pågår.</p>", 400)
        query = dict(request.query_params)
        try:
            token, claims = await rp.finish_login(PendingLogin(*saved), query)
        except (ValueError, KeyError, httpx.HTTPError) as exc:
            return page("Innlogging feilet", f"<p id='error'>{html.escape(str(exc))}</p>", 400)
        details = token.get("authorization_details", [])
        api_answer = ""
        if api_url:
            async with httpx.AsyncClient(timeout=10) as http:
                answer = await http.get(
                    api_url, headers={"Authorization": f"Bearer {token['access_token']}"}
                )
            api_answer = (
                f"<h2>API</h2><pre id='api'>{answer.status_code} {html.escape(answer.text)}</pre>"
            )
        return page(
            "Du er logget inn",
            f"<p>acr: <span id='acr'>{html.escape(str(claims.get('acr')))}</span></p>"
            f"<h2>Representasjon</h2>{describe_parties(details)}"
            f"<h2>authorization_details</h2><pre id='details'>"
            f"{html.escape(json.dumps(details, ensure_ascii=False, indent=2))}</pre>"
            f"{api_answer}",
        )

    secret = os.urandom(32)
    return Litestar(
        route_handlers=[home, login, callback],
        middleware=[CookieBackendConfig(secret=secret, key="employee_session").middleware],
        state=State({}),
        openapi_config=None,
    )
