"""GET|POST /logout: RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).

1. read `id_token_hint`, `client_id`, `post_logout_redirect_uri`, `state`, `ui_locales`
2. an id_token_hint must be ours (signature; it may have expired) and name the same
   client as `client_id` when both are given
3. revoke the grant of that login: every token issued from it stops working
4. send the browser to `post_logout_redirect_uri` only when it is registered exactly for
   that client (with `state`); otherwise show a "logged out" page
There is no SSO session to end: each login lived only for its own transaction.

The page's language: `ui_locales`, else the language of the login the hint names (its
`locale` claim), else whatever the browser asks for (decided by the web layer).
"""

from __future__ import annotations

from collections.abc import Iterable

from ansattporten.errors import InvalidToken
from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.outcomes import Outcome, RedirectTo, ShowPage, error_page
from ansattporten.records.ids import grant_id_of_jti
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
        await provider.keyring.refresh_if_stale()
        try:
            claims = provider.keyring.keys.verify(params["id_token_hint"])
        except InvalidToken:
            return error_page("error.logout_hint_invalid", status=400, lang=lang)
        if claims.get("iss") != provider.issuer:
            return error_page("error.logout_hint_invalid", status=400, lang=lang)
        lang = lang or pick_ui_locale(str(claims.get("locale", "")), LOCALES, "") or None
        hinted = str(claims.get("aud", ""))
        if client_id and client_id != hinted:
            return error_page("error.logout_hint_invalid", status=400, lang=lang)
        client_id = hinted
        await provider.store.revoke_grant(grant_id_of_jti(claims.get("jti")), provider.clock())
    redirect = params.get("post_logout_redirect_uri")
    if redirect and client_id:
        client = await find_client(provider.store, client_id[:200])
        if client is not None and redirect in client.post_logout_redirect_uris:
            state = params.get("state")
            extra = {"state": state} if state and is_valid_state(state) else {}
            return RedirectTo(add_params_to_uri(redirect, extra))
    page = {"title_key": "logout.title", "message_key": "logout.done"}
    return ShowPage("message.html", page | ({"lang": lang} if lang else {}))
