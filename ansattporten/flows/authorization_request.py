"""The checks every authorization request passes, at /authorize and at /par alike.

`validate_authorization_request` is the list of steps, read top to bottom. Each step
takes the raw parameters and returns one validated value or raises the OAuth error the
spec names. The first two steps decide whether the client can be trusted with a
redirect; errors after them are sent back to the validated redirect_uri.

`authorization_details` are parsed here, once, by their sources (through `rar`); the
request carries the parsed objects from then on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ansattporten.errors import (
    InvalidRequest,
    InvalidScope,
    RequestUriNotSupported,
    UnauthorizedClient,
    UnsupportedResponseType,
    UntrustedClient,
)
from ansattporten.rar import Representation
from ansattporten.records import AuthorizationRequest, Client, Requested
from ansattporten.settings import Settings
from ansattporten.settings_eids import offered_acr_values, resolve_eids
from ansattporten.spec import jarm, oidc_core, rfc7636, rfc9449
from ansattporten.spec.rfc6749 import is_valid_state, split_scope
from ansattporten.spec.rfc9396 import parse_authorization_details
from ansattporten.vocabulary import ACR_FROM_SHORT_FORM, ACR_LEVELS, LOCALES

AUTHORIZE_PARAMETERS = frozenset(
    {
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "nonce",
        "code_challenge",
        "code_challenge_method",
        "acr_values",
        "ui_locales",
        "prompt",
        "max_age",
        "response_mode",
        "authorization_details",
        "request_uri",
        "request",
        "login_hint",
        "dpop_jkt",
    }
)
"""Parameters the provider reads; any other parameter is ignored, as OAuth requires."""

RESPONSE_MODES = ("query", "form_post", *jarm.JWT_MODES)
"""Plain, and signed (JARM) as ID-porten offers them: `query.jwt`, `form_post.jwt`, `jwt`."""
RESPONSE_TYPES = ("code",)
PROMPT_VALUES = ("login", "none")
PKCE_METHODS = ("S256",)
MAX_NONCE = 512


def validate_authorization_request(
    params: Mapping[str, str],
    client: Client,
    settings: Settings,
    representation: Representation,
    acr_offered: Sequence[str] | None = None,
) -> AuthorizationRequest:
    """`acr_offered`: the levels the enabled eIDs serve (`Provider.acr_offered`); read
    from `settings` when not given."""
    if acr_offered is None:
        acr_offered = offered_acr_values(resolve_eids(settings.eids), settings.acr_values_supported)
    redirect_uri = check_redirect_uri(params, client)
    response_mode = check_response_mode(params)
    check_response_type(params, client)
    scope = check_scope(params, client)
    state = check_state(params)
    nonce = check_nonce(params)
    code_challenge = check_pkce(params)
    prompt = oidc_core.parse_prompt(params.get("prompt"))
    max_age = oidc_core.parse_max_age(params.get("max_age"))
    acr_values = check_acr_values(params, acr_offered)
    requested_locale = oidc_core.pick_ui_locale(params.get("ui_locales"), LOCALES, "")
    locale = requested_locale or settings.default_locale
    details = check_authorization_details(params, representation)
    dpop_jkt = check_dpop_jkt(params)
    return AuthorizationRequest(
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        response_mode=response_mode,
        scope=scope,
        state=state,
        nonce=nonce,
        code_challenge=code_challenge,
        prompt=tuple(sorted(prompt)),
        max_age=max_age,
        acr_values=acr_values,
        locale=locale,
        authorization_details=details,
        locale_requested=bool(requested_locale),
        dpop_jkt=dpop_jkt,
    )


def refuse_request_by_reference(params: Mapping[str, str]) -> None:
    """OIDC Core 6.2: a request object by reference (a `request_uri` that is not a
    pushed request's handle) is refused with its own error rather than ignored, as
    ID-porten does; by value (`request`) see `request_object`."""
    if "request_uri" in params:
        raise RequestUriNotSupported("request_uri must be a pushed request's (PAR)")


def check_redirect_uri(params: Mapping[str, str], client: Client) -> str:
    """Exact string match with a registered URI: no prefix, no extra query (RFC 9700 2.1)."""
    redirect_uri = params.get("redirect_uri", "")
    if redirect_uri not in client.redirect_uris:
        raise UntrustedClient("redirect_uri is missing or not registered for this client")
    return redirect_uri


def check_response_mode(params: Mapping[str, str]) -> str:
    mode = params.get("response_mode", "query")
    if mode not in RESPONSE_MODES:
        raise InvalidRequest(f"response_mode must be one of {', '.join(RESPONSE_MODES)}")
    return mode


def check_response_type(params: Mapping[str, str], client: Client) -> None:
    response_type = params.get("response_type")
    if not response_type:
        raise InvalidRequest("response_type is required")
    if response_type not in RESPONSE_TYPES:
        raise UnsupportedResponseType("only response_type=code is supported")
    if "authorization_code" not in client.grant_types:
        raise UnauthorizedClient("this client may not use the authorization code grant")


def check_scope(params: Mapping[str, str], client: Client) -> tuple[str, ...]:
    scope = split_scope(params.get("scope", ""))
    if "openid" not in scope:
        raise InvalidScope("scope must include openid")
    unknown = [item for item in scope if item not in client.scopes]
    if unknown:
        raise InvalidScope(f"scope {unknown[0][:40]!r} is not registered for this client")
    return scope


def check_state(params: Mapping[str, str]) -> str:
    state = params.get("state")
    if not state:
        raise InvalidRequest("state is required")
    if not is_valid_state(state):
        raise InvalidRequest("state must be printable ASCII of at most 512 characters")
    return state


def check_nonce(params: Mapping[str, str]) -> str:
    nonce = params.get("nonce")
    if not nonce:
        raise InvalidRequest("nonce is required")
    if len(nonce) > MAX_NONCE or not is_valid_state(nonce):
        raise InvalidRequest("nonce must be printable ASCII of at most 512 characters")
    return nonce


def check_pkce(params: Mapping[str, str]) -> str:
    """PKCE is mandatory for every client, and only S256 (`plain` would leak the
    verifier with the challenge)."""
    challenge = params.get("code_challenge")
    method = params.get("code_challenge_method")
    if not challenge:
        raise InvalidRequest("code_challenge is required (PKCE)")
    if method not in PKCE_METHODS:
        raise InvalidRequest("code_challenge_method must be S256")
    if not rfc7636.is_valid_challenge(challenge):
        raise InvalidRequest("code_challenge must be 43 base64url characters (S256)")
    return challenge


def check_acr_values(params: Mapping[str, str], offered: Sequence[str]) -> tuple[str, ...]:
    """Offered levels in request order; legacy short forms are read as their
    `idporten-loa-*` names. No acr_values means the national levels offered (Entra ID
    and eIDAS are only ever asked for), or every level when none of those is."""
    raw = params.get("acr_values")
    if raw:
        raw = " ".join(ACR_FROM_SHORT_FORM.get(value, value) for value in raw.split())
    requested = oidc_core.parse_acr_values(raw, offered)
    national = tuple(value for value in offered if value in ACR_LEVELS)
    return requested or national or tuple(offered)


def check_dpop_jkt(params: Mapping[str, str]) -> str | None:
    """RFC 9449 10: the thumbprint of the DPoP key the code is to be bound to."""
    jkt = params.get("dpop_jkt")
    if jkt is not None and not rfc9449.is_thumbprint(jkt):
        raise InvalidRequest("dpop_jkt must be a JWK SHA-256 thumbprint (43 base64url characters)")
    return jkt


def check_authorization_details(
    params: Mapping[str, str], representation: Representation
) -> tuple[Requested, ...]:
    """RFC 9396: well-formed JSON first, then each object parsed by the source that owns
    its type; an empty array means no representation was asked for."""
    return representation.validate(parse_authorization_details(params.get("authorization_details")))
