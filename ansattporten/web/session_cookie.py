"""The session cookie: what makes a second login to the same service silent.

A separate cookie from the browser-binding one (`browser_cookie`), on purpose. The
binding cookie is given at /authorize, before anyone has authenticated, and must stay
the same for the whole login, which is bound to it; it proves only "the browser that
started this login". The session cookie means "someone authenticated in this browser",
so it is issued only at an authentication, with a new value every time, and a value the
browser held before (planted by someone else, or seen before the login) never becomes
the authenticated session's. Reusing the binding cookie would make that pre-login value
the session's key, which is session fixation.

HttpOnly, SameSite=Lax (a service's link to /authorize is a top-level navigation, which
carries it; other sites' requests do not), Secure when the issuer is https, no
Max-Age: the provider ends the session by its own timers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Response

from ansattporten.outcomes import SessionCookie

if TYPE_CHECKING:  # the renderer imports this module, and `state` imports the renderer
    from ansattporten.web.state import AnyRequest

SESSION_COOKIE = "ap_session"


def session_cookie(request: AnyRequest) -> str | None:
    value = request.cookies.get(SESSION_COOKIE)
    if value and 20 <= len(value) <= 100:
        return value
    return None


def apply_session_cookie(response: Response[Any], session: SessionCookie, *, secure: bool) -> None:
    """Set the new value, or clear the cookie when the session has ended."""
    if session.value is None:
        response.delete_cookie(SESSION_COOKIE, path="/")
        return
    response.set_cookie(
        SESSION_COOKIE, session.value, path="/", httponly=True, samesite="lax", secure=secure
    )
