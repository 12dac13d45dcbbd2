"""The authorization request as the mock ID-porten checks it, at `/authorize` and `/par`
(`oidc_protocol_authorize.md`, `oidc_protocol_par.md`).

Order matters: an unknown client or an unregistered redirect URI can only be answered
with an error page (sending the browser to an unverified URI would make the mock an
open redirector); every later problem is answered at the redirect URI with `error`,
`state` and `iss`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import msgspec

from ansattporten.upstream_mocks.idporten.fixture import IdPortenFixture
from ansattporten.upstream_mocks.idporten.levels import ACR_VALUES, EIDAS_LEVELS
from ansattporten.upstream_mocks.pkce import S256_CHALLENGE

RESPONSE_MODES = ("query", "form_post")
MAX_VALUE_LENGTH = 1024


class AuthorizationRequest(msgspec.Struct, frozen=True, kw_only=True):
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    nonce: str | None
    acr_values: tuple[str, ...]
    ui_locales: str | None
    response_mode: str
    code_challenge: str


@dataclass(frozen=True, slots=True)
class RequestRefused:
    """Why a request cannot go on. `redirect_uri` is None when the answer must be a page
    (`page_key` names its text); otherwise the error goes to the client."""

    error: str
    description: str
    redirect_uri: str | None = None
    state: str | None = None
    response_mode: str = "query"
    page_key: str = ""


def parse(
    params: Mapping[str, str], fixture: IdPortenFixture
) -> AuthorizationRequest | RequestRefused:
    client = fixture.client(params.get("client_id", ""))
    if client is None:
        return RequestRefused(
            "invalid_client", "unknown client_id", page_key="error.unknown_client"
        )
    redirect_uri = params.get("redirect_uri", "")
    if redirect_uri not in client.redirect_uris:
        return RequestRefused(
            "invalid_request", "redirect_uri is not registered", page_key="error.bad_redirect_uri"
        )
    state = params.get("state")
    response_mode = params.get("response_mode", "query")

    def refuse(error: str, description: str) -> RequestRefused:
        mode = response_mode if response_mode in RESPONSE_MODES else "query"
        return RequestRefused(error, description, redirect_uri, state, mode)

    if response_mode not in RESPONSE_MODES:
        return refuse("invalid_request", "response_mode must be query or form_post")
    too_long = next((k for k, v in params.items() if len(v) > MAX_VALUE_LENGTH), None)
    if too_long:
        return refuse("invalid_request", f"{too_long} is too long")
    if params.get("response_type") != "code":
        return refuse("unsupported_response_type", "response_type must be code")
    scopes = tuple(params.get("scope", "").split())
    if "openid" not in scopes:
        return refuse("invalid_scope", "scope must include openid")
    if any(scope not in client.scopes for scope in scopes):
        return refuse("invalid_scope", "the client is not registered for every scope asked for")
    if params.get("code_challenge_method") != "S256":
        return refuse("invalid_request", "PKCE is required: code_challenge_method must be S256")
    challenge = params.get("code_challenge", "")
    if not S256_CHALLENGE.fullmatch(challenge):
        return refuse("invalid_request", "code_challenge must be 43 base64url characters")
    acr_values = tuple(params.get("acr_values", "").split())
    if acr_values and not any(value in ACR_VALUES for value in acr_values):
        return refuse("invalid_request", "none of the acr_values is supported")
    if sum(value in EIDAS_LEVELS for value in acr_values) > 1:
        return refuse("invalid_request", "ask for one eIDAS level, not both")
    prompt = params.get("prompt")
    if prompt == "none":
        return refuse("login_required", "the person must log in")
    return AuthorizationRequest(
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        scopes=scopes,
        state=state,
        nonce=params.get("nonce"),
        acr_values=tuple(v for v in acr_values if v in ACR_VALUES),
        ui_locales=params.get("ui_locales"),
        response_mode=response_mode,
        code_challenge=challenge,
    )
