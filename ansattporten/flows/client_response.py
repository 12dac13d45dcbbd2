"""Sending the browser back to the client: with a code, or with an error.

Every authorization response carries `iss` (RFC 9207) so a client talking to several
providers can tell which one answered; `state` is echoed when it was valid.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansattporten.errors import OAuthError
from ansattporten.outcomes import PostTo, RedirectTo
from ansattporten.spec.rfc6749 import add_params_to_uri, is_valid_state
from ansattporten.spec.rfc9207 import with_issuer


def respond(
    issuer: str,
    redirect_uri: str,
    response_mode: str,
    params: Mapping[str, str],
    *,
    lang: str | None = None,
) -> RedirectTo | PostTo:
    """`lang`: the login's language, for the form_post page."""
    full = with_issuer(dict(params), issuer)
    if response_mode == "form_post":
        return PostTo(redirect_uri, full, lang)
    return RedirectTo(add_params_to_uri(redirect_uri, full), response_params=full)


def respond_with_error(
    issuer: str,
    redirect_uri: str,
    error: OAuthError,
    *,
    state: str | None,
    response_mode: str | None,
    lang: str | None = None,
) -> RedirectTo | PostTo:
    params = error.as_dict()
    if state and is_valid_state(state):
        params["state"] = state
    mode = response_mode if response_mode in ("query", "form_post") else "query"
    return respond(issuer, redirect_uri, mode, params, lang=lang)
