"""The eID step of a login: which eIDs can satisfy the request, the eID selector when
more than one can, and the first step of the one chosen.

GET /login/{id}
1. load the login (this browser, stage "login")
2. the eIDs that can satisfy the request's `acr_values`, in the settings' order
   (`substantial entraid`: the national eIDs and Entra ID; `entraid` alone: Entra ID;
   `eidas-loa-*` alone: ID-porten's eIDAS path)
3. one: straight to its first step; several: the selector (with a notice when the
   person just cancelled at one of them, `?cancelled=<eid>`)

POST /login/{id}/eid (the selector's form: `csrf_token`, `eid`)
1. load the login and check the CSRF token
2. the chosen eID must be one that fits
3. its first step: a form eID's page (at GET /login/{id}/with/{eid}), or for an upstream
   eID a new leg (state, nonce, PKCE) kept with the login and the redirect upstream; an
   upstream that cannot be reached ends the login with `temporarily_unavailable`
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from ansattporten import routes
from ansattporten.eid import AnyEid, UpstreamEid
from ansattporten.eid.base import EidStart
from ansattporten.eid.upstream.errors import UpstreamUnavailable
from ansattporten.errors import TemporarilyUnavailable
from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.flows.issue_code import fail_login
from ansattporten.flows.transaction import load_login
from ansattporten.outcomes import Outcome, RedirectTo, ShowPage, error_page
from ansattporten.records import Login

log = logging.getLogger("ansattporten.eid")


def fitting_eids(provider: Provider, login: Login) -> list[AnyEid]:
    """The enabled eIDs that can satisfy the request, in the settings' order."""
    requested = login.request.acr_values
    return [eid for eid in provider.eids.values() if eid.accepted(requested)]


async def show_eid_step(
    provider: Provider, login_id: str, browser_id: str | None, cancelled: str | None = None
) -> Outcome:
    login = await load_login(provider, login_id, browser_id, stage="login")
    if isinstance(login, ShowPage):
        return login
    fitting = fitting_eids(provider, login)
    if not fitting:  # settings changed since the login began
        return error_page("error.no_eid", status=400, lang=login.request.locale)
    if len(fitting) == 1:
        return await first_step(provider, login, fitting[0], alone=True)
    return await selector_page(provider, login, fitting, cancelled)


async def choose_eid(
    provider: Provider, login_id: str, browser_id: str | None, form: Mapping[str, str]
) -> Outcome:
    login = await load_login(provider, login_id, browser_id, stage="login", form=form)
    if isinstance(login, ShowPage):
        return login
    fitting = fitting_eids(provider, login)
    chosen = next((eid for eid in fitting if eid.name == form.get("eid")), None)
    if chosen is None:
        return await selector_page(provider, login, fitting, None, notice="selector.notice.choose")
    if isinstance(chosen, UpstreamEid):
        return await first_step(provider, login, chosen, alone=len(fitting) == 1)
    return RedirectTo(
        provider.issuer + routes.LOGIN_WITH.format(login_id=login.id, eid=chosen.name)
    )


async def show_form_eid(
    provider: Provider, login_id: str, browser_id: str | None, eid_name: str
) -> Outcome:
    """A form eID's page, chosen on the selector (the language switcher comes back
    here too); anything else goes back to the eID step."""
    login = await load_login(provider, login_id, browser_id, stage="login")
    if isinstance(login, ShowPage):
        return login
    fitting = fitting_eids(provider, login)
    chosen = next((eid for eid in fitting if eid.name == eid_name), None)
    if chosen is None or isinstance(chosen, UpstreamEid):
        return RedirectTo(provider.issuer + routes.LOGIN.format(login_id=login.id))
    return await eid_page(provider, login, chosen.name, others=len(fitting) > 1)


async def first_step(provider: Provider, login: Login, eid: AnyEid, *, alone: bool) -> Outcome:
    if not isinstance(eid, UpstreamEid):
        return await eid_page(provider, login, eid.name, others=not alone)
    try:
        begun = await eid.begin(
            login_id=login.id,
            requested_acr=login.request.acr_values,
            locale=login.request.locale,
            redirect_uri=callback_uri(provider, eid.name),
            alone=alone,
            now=provider.clock(),
        )
    except UpstreamUnavailable as exc:
        log.warning("%s", exc)
        return await eid_unavailable(provider, login, eid)
    if not await provider.store.start_upstream_leg(login.id, begun.leg):
        return error_page("error.transaction_finished", status=409, lang=login.request.locale)
    return RedirectTo(begun.url)


async def eid_unavailable(provider: Provider, login: Login, eid: AnyEid) -> Outcome:
    """An upstream that is down or too slow: a page that says so, and the service
    learns `temporarily_unavailable`."""
    return await fail_login(
        provider,
        login,
        TemporarilyUnavailable(f"{eid.label} did not answer"),
        "error.eid_unavailable",
        status=503,
        eid=eid.label,
    )


def callback_uri(provider: Provider, eid_name: str) -> str:
    """The redirect_uri registered at the upstream for this eID."""
    return provider.issuer + routes.EID_CALLBACK.format(eid=eid_name)


async def eid_page(
    provider: Provider,
    login: Login,
    eid_name: str,
    *,
    error_key: str | None = None,
    others: bool = False,
) -> Outcome:
    """A form eID's page; `others`: more eIDs fit, so the page links back to the
    selector."""
    eid = provider.eids[eid_name]
    assert not isinstance(eid, UpstreamEid)
    client = await find_client(provider.store, login.client_id)
    page = eid.start(
        EidStart(
            form_action=routes.LOGIN_EID.format(login_id=login.id, eid=eid_name),
            cancel_action=routes.LOGIN_CANCEL.format(login_id=login.id),
            client_name=client.name if client else login.client_id,
            acr_values=login.request.acr_values,
        ),
        error_key=error_key,
    )
    if isinstance(page, ShowPage):
        page.context.update(
            csrf_token=login.csrf_token,
            lang=login.request.locale,
            expires_in=max(0, int(login.expires_at - provider.clock())),
            deadline_url=routes.LOGIN.format(login_id=login.id),
        )
        if others:
            page.context["other_eids_url"] = routes.LOGIN.format(login_id=login.id)
            page.context["language_next"] = routes.LOGIN_WITH.format(
                login_id=login.id, eid=eid_name
            )
    return page


async def selector_page(
    provider: Provider,
    login: Login,
    fitting: Sequence[AnyEid],
    cancelled: str | None,
    *,
    notice: str | None = None,
) -> ShowPage:
    client = await find_client(provider.store, login.client_id)
    requested = login.request.acr_values
    notices = [notice] if notice else []
    cancelled_at = next((eid for eid in fitting if eid.name == cancelled), None)
    here = routes.LOGIN.format(login_id=login.id)
    return ShowPage(
        "eid_selector.html",
        {
            "client_name": client.name if client else login.client_id,
            "form_action": routes.LOGIN_CHOOSE_EID.format(login_id=login.id),
            "cancel_action": routes.LOGIN_CANCEL.format(login_id=login.id),
            "eids": [eid_choice(eid, requested) for eid in fitting],
            "cancelled_label": cancelled_at.label if cancelled_at else None,
            "notice_keys": notices,
            "csrf_token": login.csrf_token,
            "lang": login.request.locale,
            "expires_in": max(0, int(login.expires_at - provider.clock())),
            "deadline_url": here,
            "language_next": here,
        },
        status=400 if notice else 200,
    )


def eid_choice(eid: AnyEid, requested: tuple[str, ...]) -> dict[str, object]:
    """One button of the selector: the eID's name and, for the kinds the provider
    knows, what it offers for this request (in the page's language)."""
    accepted = eid.accepted(requested)
    kinds = []
    if any(value.startswith("idporten-loa-") for value in accepted):
        kinds.append("testid" if not isinstance(eid, UpstreamEid) else "national")
    if any(value.startswith("eidas-loa-") for value in accepted):
        kinds.append("eidas")
    if "entraid" in accepted:
        kinds.append("entraid")
    return {
        "name": eid.name,
        "label": eid.label,
        "description_keys": [f"selector.offers.{kind}" for kind in kinds],
    }
