"""GET|POST /logout: RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).

1. read `id_token_hint`, `client_id`, `post_logout_redirect_uri`, `state`, `ui_locales`
2. an id_token_hint must be an id_token of ours (signature; not an access token; it
   may have expired) for a registered client, the same as `client_id` when both are
   given
3. revoke the grant of that login: every token issued from it stops working
4. send the browser to `post_logout_redirect_uri` only when it is registered exactly for
   that client (with `state`); otherwise show a "logged out" page
There is no SSO session to end: each login lived only for its own transaction.

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
from ansattporten.outcomes import Outcome, RedirectTo, ShowPage, error_page
from ansattporten.records.ids import grant_id_of_jti
from ansattporten.spec.jose import ID_TOKEN_TYP
from ansattporten.spec.oidc_core import pick_ui_locale
from ansattporten.spec.rfc6749 import add_params_to_uri, is_valid_state
from ansattporten.vocabulary import LOCALES

PARAMETERS = ("id_token_hint", "client_id", "post_logout_redirect_uri", "state", "ui_locales")


async def logout(provider: Provider, pairs: Iterable[tuple[str, str]]) -> Outcome:
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in PARAMETERS and value and name not in params:
            params[name] = value[:8192]
    client_id = params.get("client_id")
    lang = pick_ui_locale(params.get("ui_locales"), LOCALES, "") or None
    if "id_token_hint" in params:
        claims = await id_token_of(provider, params["id_token_hint"])
        if claims is None:
            return error_page("error.logout_hint_invalid", status=400, lang=lang)
        lang = lang or pick_ui_locale(str(claims.get("locale", "")), LOCALES, "") or None
        if client_id and client_id != claims["aud"]:
            return error_page("error.logout_hint_invalid", status=400, lang=lang)
        client_id = claims["aud"]
        await provider.store.revoke_grant(grant_id_of_jti(claims["jti"]), provider.clock())
    redirect = params.get("post_logout_redirect_uri")
    if redirect and client_id:
        client = await find_client(provider.store, client_id[:200])
        if client is not None and redirect in client.post_logout_redirect_uris:
            state = params.get("state")
            extra = {"state": state} if state and is_valid_state(state) else {}
            return RedirectTo(add_params_to_uri(redirect, extra))
    page = {"title_key": "logout.title", "message_key": "logout.done"}
    return ShowPage("message.html", page | ({"lang": lang} if lang else {}))


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
