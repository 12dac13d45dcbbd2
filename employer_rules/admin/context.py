"""What the admin handlers share: the services, the session cookie, the CSRF check."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response

from employer_rules.admin.provider_client import ProviderClient
from employer_rules.admin.rendering import Pages
from employer_rules.audit import Actor
from employer_rules.settings import Settings
from employer_rules.store.rule_store import RuleStore
from employer_rules.store.session_store import AdminSession, SessionStore

LOGIN_COOKIE = "employer_rules_login"


class NotLoggedIn(Exception):
    """A page that needs a session was asked for without one: to the start page."""


@dataclass(frozen=True)
class Admin:
    settings: Settings
    rules: RuleStore
    sessions: SessionStore
    provider: ProviderClient
    pages: Pages

    @property
    def session_cookie(self) -> str:
        """`__Host-` over https: only this origin, path `/`, `Secure` may set it."""
        name = "employer_rules_session"
        return f"__Host-{name}" if self.settings.secure_cookies else name

    def set_cookie(self, response: Response[Any], name: str, value: str, max_age: int) -> None:
        response.set_cookie(
            name,
            value,
            path="/",
            max_age=max_age,
            httponly=True,
            samesite="lax",
            secure=self.settings.secure_cookies,
        )

    def forget_cookie(self, response: Response[Any], name: str) -> None:
        self.set_cookie(response, name, "", 0)

    async def session(self, request: Request[Any, Any, Any]) -> AdminSession | None:
        cookie = request.cookies.get(self.session_cookie)
        return await self.sessions.session(cookie) if cookie else None

    async def require_session(self, request: Request[Any, Any, Any]) -> AdminSession:
        """The live session, or `NotLoggedIn` (answered with a redirect to `/`)."""
        session = await self.session(request)
        if session is None:
            raise NotLoggedIn
        return session


def actor_of(session: AdminSession) -> Actor:
    administrator = session.administrator
    return Actor(sub=administrator.sub, pid=administrator.pid, name=administrator.name)


def csrf_ok(session: AdminSession, sent: str | None) -> bool:
    return sent is not None and hmac.compare_digest(sent.encode(), session.csrf_token.encode())
