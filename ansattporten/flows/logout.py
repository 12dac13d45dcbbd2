"""GET|POST /logout: RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), and the
front- and back-channel logout (OpenID Front-/Back-Channel Logout 1.0) of what it ends.

1. read `id_token_hint`, `client_id`, `post_logout_redirect_uri`, `state`, `ui_locales`
2. an id_token_hint must be an id_token of ours (signature; not an access token; it
   may have expired) for a registered client, the same
   client as `client_id` when both are given; it names the login's grant (its `jti`),
   which is revoked: every token issued from it stops working
3. the sessions that end: the hinted login's isolated session (the grant knows its
   `sid`, whether or not the id_token carried it), or this browser's session with
   `client_id`: that service's only. All of the browser's sessions when the logout
   names no service, or when `logout_ends_all_sessions` says so
4. end them (`session_end`): back-channel logout requests are queued with them, never
   waited for; the browser's session ends with its last service (its cookie is cleared)
5. the browser goes on to `post_logout_redirect_uri` only when it is registered exactly
   for that client (with `state`); otherwise to a "logged out" page. When an ended
   service registered a front-channel logout URI, a page loads each in an iframe first
   (its CSP allows framing exactly those origins) and then goes on.

The hint is the only proof the request comes from the client: there is no client
authentication at a browser's logout (the spec has none). An id_token is given to the
client alone, while an access token also reaches every API the client calls, so only an
id_token ends a login. An expired id_token is accepted, as the spec recommends: id_tokens
live two minutes, a service's session hours, and ending a login that has already ended
(its grant expired) changes nothing.

The page's language: `ui_locales`, else the language of the login the hint names (its
`locale` claim), else whatever the browser asks for (decided by the web layer).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ansattporten.errors import InvalidToken
from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.flows.session_end import Ended, end_sessions
from ansattporten.outcomes import Outcome, RedirectTo, ShowPage, error_page, with_session
from ansattporten.records import ClientSession
from ansattporten.records.ids import grant_id_of_jti, hashed, is_login_id
from ansattporten.spec.jose import ID_TOKEN_TYP
from ansattporten.spec.oidc_core import pick_ui_locale
from ansattporten.spec.rfc6749 import add_params_to_uri, is_valid_state
from ansattporten.vocabulary import LOCALES

PARAMETERS = ("id_token_hint", "client_id", "post_logout_redirect_uri", "state", "ui_locales")


async def logout(
    provider: Provider, pairs: Iterable[tuple[str, str]], session_cookie: str | None = None
) -> Outcome:
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in PARAMETERS and value and name not in params:
            params[name] = value[:8192]
    client_id = params.get("client_id")
    lang = pick_ui_locale(params.get("ui_locales"), LOCALES, "") or None
    hinted_sid = None
    if "id_token_hint" in params:
        claims = await id_token_of(provider, params["id_token_hint"])
        if claims is None:
            return error_page("error.logout_hint_invalid", status=400, lang=lang)
        lang = lang or pick_ui_locale(str(claims.get("locale", "")), LOCALES, "") or None
        if client_id and client_id != claims["aud"]:
            return error_page("error.logout_hint_invalid", status=400, lang=lang)
        client_id = claims["aud"]
        hinted_sid = await revoke_hinted_grant(provider, claims["jti"], client_id)
    browser_id = await browser_session_id(provider, session_cookie)
    sessions = await sessions_to_end(provider, browser_id, client_id, hinted_sid)
    ended = await end_sessions(provider, sessions)
    cookie_cleared = await browser_session_ended(provider, browser_id, ended)
    continue_url = await registered_return(provider, params, client_id)
    outcome = after_logout(continue_url, lang, ended)
    if session_cookie and (cookie_cleared or browser_id is None):
        return with_session(outcome, None)
    return outcome


async def revoke_hinted_grant(provider: Provider, jti: object, client_id: str) -> str | None:
    """Revoke the grant the hint's `jti` names; the `sid` of its session, if any."""
    grant_id = grant_id_of_jti(jti)
    await provider.store.revoke_grant(grant_id, provider.clock())
    grant = await provider.store.get_grant(grant_id) if is_login_id(grant_id) else None
    if grant is None or grant.client_id != client_id:
        return None
    return grant.claims.sid


async def browser_session_id(provider: Provider, cookie: str | None) -> str | None:
    """The browser session the cookie names, whatever its timers say (a logout ends
    what is left of it)."""
    if not cookie or not is_login_id(cookie):
        return None
    session = await provider.store.browser_session_by_cookie(hashed(cookie))
    return None if session is None else session.id


async def sessions_to_end(
    provider: Provider, browser_id: str | None, client_id: str | None, hinted_sid: str | None
) -> list[ClientSession]:
    store = provider.store
    hinted = await store.client_session(hinted_sid) if hinted_sid else None
    everything = client_id is None or provider.settings.logout_ends_all_sessions
    if everything:
        whose = hinted.browser_session_id if hinted else browser_id
        return await store.client_sessions_of(whose) if whose else []
    if hinted is not None:
        return [hinted]
    if browser_id is None:
        return []
    return [s for s in await store.client_sessions_of(browser_id) if s.client_id == client_id]


async def browser_session_ended(provider: Provider, browser_id: str | None, ended: Ended) -> bool:
    """Drop the browser sessions left without a service; True when the one this
    browser's cookie names is gone (the cookie is then cleared)."""
    others = {session.browser_session_id for session in ended.sessions} - {browser_id}
    for other in others:
        await provider.store.drop_browser_session_if_empty(other)
    return browser_id is not None and await provider.store.drop_browser_session_if_empty(browser_id)


async def registered_return(
    provider: Provider, params: dict[str, str], client_id: str | None
) -> str | None:
    """`post_logout_redirect_uri` with `state`, when it is registered exactly for the
    client; None otherwise (never an open redirect)."""
    redirect = params.get("post_logout_redirect_uri")
    if not redirect or not client_id:
        return None
    client = await find_client(provider.store, client_id[:200])
    if client is None or redirect not in client.post_logout_redirect_uris:
        return None
    state = params.get("state")
    return add_params_to_uri(redirect, {"state": state} if state and is_valid_state(state) else {})


def after_logout(continue_url: str | None, lang: str | None, ended: Ended) -> RedirectTo | ShowPage:
    """Front-channel logout first, when a service asked for it; then back to the
    service, or the "logged out" page."""
    language = {"lang": lang} if lang else {}
    if ended.frames:
        context = {"frames": ended.frames, "continue_url": continue_url} | language
        return ShowPage("frontchannel_logout.html", context, frame_origins=ended.frame_origins)
    if continue_url is not None:
        return RedirectTo(continue_url)
    page = {"title_key": "logout.title", "message_key": "logout.done"}
    return ShowPage("message.html", page | language)


async def id_token_of(provider: Provider, hint: str) -> dict[str, Any] | None:
    """The claims of `hint` if it is an id_token we issued to a registered client (its
    `exp` is not checked); None for anything else, access tokens included."""
    await provider.keyring.refresh_if_stale()
    try:
        claims = provider.keyring.keys.verify(hint, typ=ID_TOKEN_TYP)  # not `at+jwt`
    except InvalidToken:
        return None
    audience = claims.get("aud")
    if (
        "client_id" in claims  # RFC 9068: every access token names its client
        or claims.get("iss") != provider.issuer
        or not isinstance(audience, str)  # our id_tokens have one audience, the client
        or not isinstance(claims.get("jti"), str)
        or await find_client(provider.store, audience[:200]) is None
    ):
        return None
    return claims
