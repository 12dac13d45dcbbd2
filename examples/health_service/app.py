"""A service for doctors: the person logs in on behalf of an organisation (an Altinn
resource) and must hold a valid approval as a doctor (LE) in the health personnel
register (HPR), asked for in the same Rich Authorization Request:

    [{"type": "ansattporten:altinn:resource", "resource": "urn:altinn:resource:app_ttd_apps-test"},
     {"type": "ansattporten:hpr", "professions": ["LE"], "approval_is_required": true}]

With `approval_is_required` the provider itself stops a person without the approval (an
error page there, and `error=access_denied` back here). The service still checks the
approvals in the token before it lets anyone in: a service decides on what it received,
not on what it asked for. Either way a refused person sees the refusal page.

Run: `python -m examples.health_service --issuer http://127.0.0.1:8000 --port 8002`.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

import httpx
from litestar import Litestar, Request, Response, get, post
from litestar.response import Redirect

from examples.common.pages import login_button, page, recall, remember, session_middleware
from examples.common.relying_party import LoginFailed, RelyingParty

RESOURCE = "urn:altinn:resource:app_ttd_apps-test"
HPR_TYPE = "ansattporten:hpr"
PROFESSION_NAMES = {"LE": "lege", "SP": "sykepleier"}


def requested_details(resource: str, profession: str) -> list[dict[str, Any]]:
    return [
        {"type": "ansattporten:altinn:resource", "resource": resource},
        {"type": HPR_TYPE, "professions": [profession], "approval_is_required": True},
    ]


def valid_approvals(
    details: list[dict[str, Any]], profession: str, today: dt.date
) -> tuple[str | None, list[dict[str, Any]]]:
    """(HPR number, the approvals for `profession` valid on `today`) from the token."""
    for detail in details:
        if detail.get("type") != HPR_TYPE:
            continue
        approvals = [
            approval
            for approval in detail.get("approvals", [])
            if approval.get("profession") == profession
            and (approval.get("valid_from") or "9999") <= today.isoformat()
            and today.isoformat() <= (approval.get("valid_to") or "9999")
        ]
        return detail.get("hpr_number"), approvals
    return None, []


def describe_organisations(details: list[dict[str, Any]]) -> str:
    items = [
        f"<li data-orgno='{html.escape(orgno)}'>{html.escape(party.get('name', ''))} "
        f"({html.escape(orgno)}, {html.escape(party.get('unit_type', ''))})</li>"
        for detail in details
        if detail.get("type") == "ansattporten:altinn:resource"
        for party in detail.get("authorized_parties", [])
        for orgno in [party["orgno"]["ID"].removeprefix("0192:")]
    ]
    if not items:
        return "<p id='organisation'>Du representerer ingen virksomhet.</p>"
    return f"<ul id='organisation'>{''.join(items)}</ul>"


def describe_approvals(hpr_number: str | None, approvals: list[dict[str, Any]]) -> str:
    def names(codes: list[dict[str, str]]) -> str:
        return html.escape(", ".join(code["description"] for code in codes) or "-")

    items = "".join(
        f"<li data-profession='{html.escape(a['profession'])}'>"
        f"{html.escape(a['profession'])}: {html.escape(a['authorization']['description'])}, "
        f"gyldig til {html.escape(a.get('valid_to') or 'videre')}; "
        f"spesialiteter: {names(a.get('specialities', []))}; "
        f"rekvisisjonsrett: {names(a.get('requisition_rights', []))}</li>"
        for a in approvals
    )
    return (
        f"<p>HPR-nummer: <span id='hpr-number'>{html.escape(hpr_number or '')}</span></p>"
        f"<ul id='approvals'>{items}</ul>"
    )


def refusal(profession: str, reason: str) -> Response[str]:
    name = PROFESSION_NAMES.get(profession, profession)
    return page(
        "Ingen tilgang",
        f"<p id='refused'>Denne tjenesten krever gyldig godkjenning som {html.escape(name)} "
        f"({html.escape(profession)}) i Helsepersonellregisteret.</p>"
        f"<p id='reason'>{html.escape(reason)}</p>"
        "<p><a href='/'>Til forsiden</a></p>",
        403,
    )


def create_health_service(
    *,
    issuer: str,
    base_url: str,
    client_id: str,
    client_secret: str,
    resource: str = RESOURCE,
    profession: str = "LE",
    today: Callable[[], dt.date] = dt.date.today,
) -> Litestar:
    rp = RelyingParty(
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        redirect_uri=f"{base_url}/callback",
    )

    @get("/")
    async def home() -> Response[str]:
        return page("Legetjeneste (eksempel)", login_button("Logg inn som helsepersonell"))

    @post("/login", status_code=303)
    async def login(request: Request[Any, Any, Any]) -> Redirect:
        url, pending = await rp.start_login(requested_details(resource, profession))
        remember(request, pending)
        return Redirect(url, status_code=303)

    @get("/callback")
    async def callback(request: Request[Any, Any, Any]) -> Response[str]:
        pending = recall(request)
        if pending is None:
            return page("Innlogging feilet", "<p>Ingen innlogging pågår.</p>", 400)
        try:
            token, _ = await rp.finish_login(pending, dict(request.query_params))
        except LoginFailed as failed:
            if failed.error == "access_denied":
                return refusal(profession, "Ansattporten ga ikke tilgang (access_denied).")
            return page("Innlogging feilet", f"<p id='error'>{html.escape(str(failed))}</p>", 400)
        except (ValueError, KeyError, httpx.HTTPError) as exc:
            return page("Innlogging feilet", f"<p id='error'>{html.escape(str(exc))}</p>", 400)
        granted = token.get("authorization_details", [])
        hpr_number, approvals = valid_approvals(granted, profession, today())
        if not approvals:
            return refusal(profession, "Tokenet viser ingen gyldig godkjenning.")
        return page(
            "Velkommen",
            f"<h2>Virksomhet</h2>{describe_organisations(granted)}"
            f"<h2>Godkjenninger i HPR</h2>{describe_approvals(hpr_number, approvals)}",
        )

    return Litestar(
        route_handlers=[home, login, callback],
        middleware=[session_middleware(client_id)],
        openapi_config=None,
    )
