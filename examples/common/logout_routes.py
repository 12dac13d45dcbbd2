"""The example services' logout: the "log out" button (RP-initiated logout at the
provider), the page the provider sends the person back to, and the back-channel logout
endpoint the provider tells the service on (`backchannel_logout.EndedSessions`).

Register the service at the provider with `backchannel_logout_uri` =
`<base_url>/backchannel-logout`, `post_logout_redirect_uris` = `[<base_url>/logged-out]`,
and, for front-channel logout too, `frontchannel_logout_uri` =
`<base_url>/frontchannel-logout` with `frontchannel_logout_session_required`.
"""

from __future__ import annotations

import html
import secrets
from typing import Any

from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.response import Redirect

from examples.common.backchannel_logout import EndedSessions, LogoutRefused
from examples.common.pages import page, translator
from examples.common.relying_party import RelyingParty

TOLD_WITHIN = 3.0
"""Seconds the "logged out" page waits for the provider's back-channel request (it is
sent in the background, so it may arrive just after the browser)."""


def remember_login(request: Request[Any, Any, Any], id_token: str, sid: str | None) -> None:
    """What logging out needs later: the id_token (the hint) and the session's `sid`."""
    request.session["login"] = [id_token, sid or ""]


def logout_buttons(t: Any) -> str:
    """ "Switch organisation" (a new authorization request: the provider shows the picker
    without authenticating again) and "log out"."""
    return (
        "<div class='actions'>"
        "<form method='post' action='/login'><button type='submit' id='switch'>"
        f"{html.escape(t('employee.switch'))}</button></form>"
        "<form method='post' action='/logout'><button type='submit' id='logout'>"
        f"{html.escape(t('employee.logout'))}</button></form></div>"
    )


def logout_handlers(
    rp: RelyingParty, ended: EndedSessions, base_url: str
) -> list[HTTPRouteHandler]:
    @post("/logout", status_code=303)
    async def logout(request: Request[Any, Any, Any]) -> Redirect:
        saved = request.session.get("login")
        if not saved:
            return Redirect("/", status_code=303)
        state = secrets.token_urlsafe(16)
        request.session["logout_state"] = [state, saved[1]]
        request.session.pop("login", None)
        url = await rp.logout_url(saved[0], f"{base_url}/logged-out", state)
        return Redirect(url, status_code=303)

    @get("/logged-out")
    async def logged_out(request: Request[Any, Any, Any]) -> Response[str]:
        t = translator(request)
        expected = request.session.pop("logout_state", None)
        if not expected or request.query_params.get("state") != expected[0]:
            return page(request, t("logout.title"), f"<p>{html.escape(t('login.none'))}</p>", 400)
        sid = expected[1]
        told = bool(sid) and await ended.wait_for(sid, TOLD_WITHIN)
        message = (
            f"<p id='backchannel-told'>{html.escape(t('logout.told'))}</p>"
            if told
            else f"<p id='backchannel-not-told'>{html.escape(t('logout.not_told'))}</p>"
        )
        if "front-channel" in ended.ended.get(sid, ()):
            message += f"<p id='frontchannel-told'>{html.escape(t('logout.told_front'))}</p>"
        return page(request, t("logout.title"), message)

    @get("/frontchannel-logout")
    async def frontchannel_logout(request: Request[Any, Any, Any]) -> Response[str]:
        query = request.query_params
        ok = ended.receive_front_channel(query.get("iss"), query.get("sid"))
        return Response("", status_code=200 if ok else 400, headers={"Cache-Control": "no-store"})

    @post("/backchannel-logout", status_code=200)
    async def backchannel_logout(request: Request[Any, Any, Any]) -> Response[str]:
        form = await request.form()
        token = form.get("logout_token")
        if not isinstance(token, str):
            return Response("", status_code=400)
        try:
            await ended.receive(token)
        except LogoutRefused:
            return Response("", status_code=400)
        return Response("", status_code=200, headers={"Cache-Control": "no-store"})

    return [logout, logged_out, backchannel_logout, frontchannel_logout]
