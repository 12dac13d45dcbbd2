"""Isolated sessions: a service the person has authenticated for in this browser logs
them in again without the eID; every other service still asks for it.

The browser holds one session cookie (a random value, only its hash stored), issued
anew at every authentication: a value the browser had before - one an attacker planted,
or one seen before the login - never becomes the authenticated session's. Under it, each
service has its own `ClientSession` with the `Authentication` it got, whatever eID made
it, so a silent login repeats what that service was told and nothing another service
was told.

At /authorize, `continuing` says whether a login may continue the service's session:
not with `prompt=login`, not when `max_age` has passed since the authentication, not
when the request wants a level of assurance above the session's. At authentication,
`open_session` makes the new cookie value and the records `Store.record_authentication`
writes with the login's move.
"""

from __future__ import annotations

from ansattporten.flows.context import Provider
from ansattporten.records import (
    Authentication,
    AuthorizationRequest,
    BrowserSession,
    Client,
    ClientSession,
    LiveSession,
    Person,
    SessionOpening,
)
from ansattporten.records.ids import hashed, is_login_id, new_id
from ansattporten.spec.oidc_core import pairwise_sub, public_sub
from ansattporten.vocabulary import acr_satisfies

PERSON_SECTOR = "\x00browser-session"
"""The "sector" a browser session's person hash is derived for: no client_id holds a NUL
byte, so it is no service's pairwise `sub`."""


def subject_of(provider: Provider, client: Client, person: Person) -> str:
    """OIDC Core 8: the `sub` this client sees - its own pairwise value, or the public
    one shared by every client registered with `subject_type = "public"` (its id_tokens
    and its logout tokens alike)."""
    if client.subject_type == "public":
        return public_sub(person.stable_id, provider.pairwise_secret)
    return pairwise_sub(person.stable_id, client.client_id, provider.pairwise_secret)


async def live_session(
    provider: Provider, cookie: str | None, client_id: str
) -> LiveSession | None:
    """The live browser session the presented cookie names, with `client_id`'s session
    in it if there is one. A cookie of the wrong shape is not looked up."""
    if not cookie or not is_login_id(cookie):
        return None
    now = provider.clock()
    idle_since = now - provider.settings.session_idle_timeout
    return await provider.store.find_live_session(hashed(cookie), client_id, now, idle_since)


def continuing(
    request: AuthorizationRequest, session: ClientSession | None, now: float
) -> ClientSession | None:
    """The service's session, if this request may be answered from it without
    authenticating: not with `prompt=login`, not after `max_age` (0: always
    authenticate), not for a level of assurance the session does not reach."""
    if session is None or "login" in request.prompt:
        return None
    authentication = session.authentication
    if request.max_age is not None and (
        request.max_age == 0 or now - authentication.auth_time > request.max_age
    ):
        return None
    if not acr_satisfies(authentication.acr, request.acr_values):
        return None
    return session


async def keep_alive(provider: Provider, live: LiveSession, session: ClientSession) -> bool:
    """A silent login restarts the browser session's idle timer; False when the session
    ended in the meantime (a logout, the timers): then the person authenticates."""
    now = provider.clock()
    idle_since = now - provider.settings.session_idle_timeout
    return await provider.store.touch_session(live.browser.id, session.sid, now, idle_since)


async def open_session(
    provider: Provider,
    client: Client,
    authentication: Authentication,
    presented_cookie: str | None,
) -> tuple[str, SessionOpening]:
    """The browser's new session cookie value and what to write with the login's move:
    the live browser session it presented continues under the new value when the same
    person authenticated in it; otherwise (no session, or someone else's) a new browser
    session begins. Either way this service gets a new client session (a new `sid`),
    replacing an earlier one of the same service."""
    now = provider.clock()
    settings = provider.settings
    person = authentication.person
    person_hash = pairwise_sub(person.stable_id, PERSON_SECTOR, provider.pairwise_secret)
    live = await live_session(provider, presented_cookie, client.client_id)
    continues = live.browser if live and live.browser.person_hash == person_hash else None
    cookie = new_id()
    fresh = BrowserSession(
        id=new_id(),
        cookie_hash=hashed(cookie),
        person_hash=person_hash,
        created_at=now,
        last_active_at=now,
        expires_at=now + settings.session_lifetime,
    )
    session = ClientSession(
        sid=new_id(),
        browser_session_id=fresh.id,
        client_id=client.client_id,
        sub=subject_of(provider, client, person),
        authentication=authentication,
        created_at=now,
        expires_at=fresh.expires_at,
    )
    return cookie, SessionOpening(fresh=fresh, continues=continues, client=session)
