"""A service for doctors: the person logs in on behalf of an organisation (an Altinn
resource) and must hold a valid approval as a doctor (LE) in the health personnel
register (HPR), asked for in the same Rich Authorization Request:

    [{"type": "ansattporten:altinn:resource", "resource": "urn:altinn:resource:app_ttd_apps-test"},
     {"type": "ansattporten:hpr", "professions": ["LE"], "approval_is_required": true}]

With `approval_is_required` the provider itself stops a person without the approval (an
error page there, and `error=access_denied` back here). The service still checks the
approvals in the token before it lets anyone in: a service decides on what it received,
not on what it asked for. Either way a refused person sees the refusal page. The pages
are in the person's language, and the service asks Ansattporten for the same one.

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

from examples.common.language import locale_of
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
HPR_TYPE = "ansattporten:hpr"
AnyRequest = Request[Any, Any, Any]


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


def describe_organisations(details: list[dict[str, Any]], t: Callable[..., str]) -> str:
    items = [
        f"<li data-orgno='{html.escape(orgno)}'>{html.escape(party.get('name', ''))} "
        f"({html.escape(orgno)}, {html.escape(party.get('unit_type', ''))})</li>"
        for detail in details
        if detail.get("type") == "ansattporten:altinn:resource"
        for party in detail.get("authorized_parties", [])
        for orgno in [party["orgno"]["ID"].removeprefix("0192:")]
    ]
    if not items:
        return f"<p id='organisation'>{html.escape(t('health.no_organisation'))}</p>"
    return f"<ul id='organisation'>{''.join(items)}</ul>"


def describe_approvals(
    hpr_number: str | None, approvals: list[dict[str, Any]], t: Callable[..., str]
) -> str:
    """The register's own descriptions (Norwegian, as HPR has them) with our labels."""

    def names(codes: list[dict[str, str]]) -> str:
        return html.escape(", ".join(code["description"] for code in codes) or "-")

    def valid(approval: dict[str, Any]) -> str:
        until = approval.get("valid_to")
        return t("health.valid_to", date=until) if until else t("health.valid_onwards")

    items = "".join(
        f"<li data-profession='{html.escape(a['profession'])}'>"
        f"{html.escape(a['profession'])}: {html.escape(a['authorization']['description'])}, "
        f"{html.escape(valid(a))}; "
        f"{html.escape(t('health.specialities'))}: {names(a.get('specialities', []))}; "
        f"{html.escape(t('health.requisition'))}: {names(a.get('requisition_rights', []))}</li>"
        for a in approvals
    )
    return (
        f"<p>{html.escape(t('health.hpr_number'))}: "
        f"<span id='hpr-number'>{html.escape(hpr_number or '')}</span></p>"
        f"<ul id='approvals'>{items}</ul>"
    )


def refusal(request: AnyRequest, profession: str, reason_key: str) -> Response[str]:
    t = translator(request)
    name = t(f"health.profession.{profession}")
    return page(
        request,
        t("health.refused.title"),
        f"<p id='refused'>{html.escape(t('health.refused', profession=name, code=profession))}"
        f"</p><p id='reason'>{html.escape(t(reason_key))}</p>"
        f"<p><a href='/'>{html.escape(t('health.front_page'))}</a></p>",
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
    async def home(request: AnyRequest) -> Response[str]:
        t = translator(request)
        return page(request, t("health.title"), login_button(t("health.login")))

    @post("/login", status_code=303)
    async def login(request: AnyRequest) -> Redirect:
        details = requested_details(resource, profession)
        url, pending = await rp.start_login(details, ui_locales=locale_of(request))
        remember(request, pending)
        return Redirect(url, status_code=303)

    @get("/callback")
    async def callback(request: AnyRequest) -> Response[str]:
        t = translator(request)
        pending = recall(request)
        if pending is None:
            return page(request, t("login.failed.title"), f"<p>{t('login.none')}</p>", 400)
        try:
            token, _ = await rp.finish_login(pending, dict(request.query_params))
        except LoginFailed as failed:
            if failed.error == "access_denied":
                return refusal(request, profession, "health.refused.provider")
            return failed_login(request, failed.error, str(failed))
        except (ValueError, KeyError, httpx.HTTPError) as exc:
            return failed_login(request, "", str(exc))
        granted = token.get("authorization_details", [])
        hpr_number, approvals = valid_approvals(granted, profession, today())
        if not approvals:
            return refusal(request, profession, "health.refused.token")
        return page(
            request,
            t("health.welcome"),
            f"<h2>{html.escape(t('health.organisation'))}</h2>{describe_organisations(granted, t)}"
            f"<h2>{html.escape(t('health.approvals'))}</h2>"
            f"{describe_approvals(hpr_number, approvals, t)}",
        )

    return Litestar(
        route_handlers=[home, login, callback, choose_language],
        middleware=[session_middleware(client_id)],
        openapi_config=None,
    )
