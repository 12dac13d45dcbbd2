"""Logging in through the provider, and out.

GET /login:    push the request to the provider (PAR) -> remember state, nonce and PKCE
               verifier under a cookie of this browser -> redirect to the provider
GET /callback: take the browser's login (once) -> check state and iss -> redeem the
               code -> check the id_token -> note the organisations' names -> end the
               browser's previous session, open a new one -> /rules
POST /logout:  end the session -> the provider's end-session endpoint -> /logged-out
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.response import Redirect

from employer_rules.admin.admin_token import NotAnAdministrator
from employer_rules.admin.context import LOGIN_COOKIE, Admin, csrf_ok
from employer_rules.admin.provider_client import BadCallback, LoginRefused, ProviderUnavailable
from employer_rules.organisations import Organisation

log = logging.getLogger("employer_rules.admin")


def login_routes(admin: Admin) -> list[HTTPRouteHandler]:
    pages = admin.pages

    @get("/")
    async def home(request: Request[Any, Any, Any]) -> Response[Any]:
        if await admin.session(request) is not None:
            return Redirect("/rules", status_code=303)
        return pages.render(request, "landing.html")

    @get("/login")
    async def login(request: Request[Any, Any, Any]) -> Response[Any]:
        locale = pages.locale(request)
        try:
            url, pending = await admin.provider.start_login(locale)
        except ProviderUnavailable as exc:
            log.warning("the provider cannot start a login: %s", exc)
            return pages.message(request, "provider_unavailable", status=503, here="/")
        cookie = await admin.sessions.start_login(pending)
        response = Redirect(url, status_code=303)
        admin.set_cookie(response, LOGIN_COOKIE, cookie, int(admin.settings.login_seconds))
        if request.query_params.get("lang") == locale:  # chosen with the switcher
            pages.remember_locale(response, locale)
        return response

    @get("/callback")
    async def callback(request: Request[Any, Any, Any]) -> Response[Any]:
        cookie = request.cookies.get(LOGIN_COOKIE)
        pending = await admin.sessions.take_login(cookie) if cookie else None
        if pending is None:
            return pages.message(request, "login_unknown", status=400, here="/")
        try:
            administrator = await admin.provider.finish_login(pending, dict(request.query_params))
        except LoginRefused as exc:
            name = "access_denied" if exc.error == "access_denied" else "login_refused"
            return pages.message(request, name, status=403, here="/")
        except NotAnAdministrator as exc:
            name = "acr_too_low" if exc.code == "acr" else "no_right"
            return pages.message(request, name, status=403, here="/")
        except BadCallback as exc:
            log.warning("a login callback was refused: %s", exc)
            return pages.message(request, "login_failed", status=400, here="/")
        except ProviderUnavailable as exc:
            log.warning("the provider cannot finish a login: %s", exc)
            return pages.message(request, "provider_unavailable", status=503, here="/")
        await admin.rules.save_organisations(
            [
                Organisation(orgno=o.orgno, name=o.name, unit_type=o.unit_type)
                for o in administrator.organisations
            ],
            keep_parent=True,
        )
        if previous := request.cookies.get(admin.session_cookie):
            await admin.sessions.end_session(previous)  # a new login, a new session
        session_cookie = await admin.sessions.open_session(administrator)
        log.info("administrator logged in", extra={"organisations": len(administrator.orgnos)})
        response = Redirect("/rules", status_code=303)
        admin.forget_cookie(response, LOGIN_COOKIE)
        admin.set_cookie(
            response, admin.session_cookie, session_cookie, int(admin.settings.session_max_seconds)
        )
        pages.remember_locale(response, pending.locale)
        return response

    @post("/logout", status_code=303)
    async def logout(request: Request[Any, Any, Any]) -> Response[Any]:
        session = await admin.session(request)
        form = await request.form()
        if session is not None and not csrf_ok(session, form.get("csrf_token")):
            return pages.message(request, "form_expired", status=403)
        cookie = request.cookies.get(admin.session_cookie)
        if cookie:
            await admin.sessions.end_session(cookie)
        goodbye = await admin.provider.end_session_url()
        response = Redirect(goodbye or "/logged-out", status_code=303)
        admin.forget_cookie(response, admin.session_cookie)
        return response

    @get("/logged-out")
    async def logged_out(request: Request[Any, Any, Any]) -> Response[Any]:
        return pages.message(request, "logged_out", status=200, action=("/", "landing.login"))

    return [home, login, callback, logout, logged_out]
