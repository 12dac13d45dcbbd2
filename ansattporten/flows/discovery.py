"""Discovery metadata (OpenID Connect Discovery, RFC 8414), shaped like ID-porten's so a
client written for the real Ansattporten reads ours unchanged. Every list is read from
where the provider defines what it accepts, so the two cannot drift apart.

RFC 8414 2: an endpoint that takes `private_key_jwt` names the algorithms its client
assertions may use (`*_auth_signing_alg_values_supported`); the three back-channel
endpoints authenticate clients alike (`client_auth`), so they share one list."""

from __future__ import annotations

from typing import Any, get_args

from ansattporten import routes
from ansattporten.eid import UpstreamEid
from ansattporten.flows.authorization_request import (
    PKCE_METHODS,
    PROMPT_VALUES,
    RESPONSE_MODES,
    RESPONSE_TYPES,
)
from ansattporten.flows.context import Provider
from ansattporten.flows.keyring import ALGORITHMS
from ansattporten.flows.person_claims import PERSON_CLAIMS
from ansattporten.flows.token import GRANT_TYPES
from ansattporten.settings import AuthMethod, SubjectType
from ansattporten.settings_eids import ClaimMap
from ansattporten.spec import rfc7523, rfc9101, rfc9449
from ansattporten.vocabulary import ACR_SHORT_FORMS, LOCALES

AUTH_METHODS = get_args(AuthMethod)
AUTHENTICATED_METHODS = [method for method in AUTH_METHODS if method != "none"]
CLAIMS = (
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "pid",
    "locale",
    "sid",
    "authorization_details",
)


def person_claims_offered(provider: Provider) -> list[str]:
    """The person claims the enabled eIDs can fill (none for TestID alone)."""
    mapped = {
        field
        for eid in provider.eids.values()
        if isinstance(eid, UpstreamEid)
        for field in ClaimMap.__struct_fields__
        if getattr(eid.config.claims, field)
    }
    if {"given_name", "family_name"} & mapped:
        mapped.add("name")
    return [claim for claim in PERSON_CLAIMS if claim in mapped]


def metadata(provider: Provider) -> dict[str, Any]:
    issuer = provider.issuer
    acr = list(provider.acr_offered)
    short = [short for level, short in ACR_SHORT_FORMS.items() if level in acr]
    return {
        "issuer": issuer,
        "authorization_endpoint": issuer + routes.AUTHORIZE,
        "pushed_authorization_request_endpoint": issuer + routes.PAR,
        "token_endpoint": issuer + routes.TOKEN,
        "userinfo_endpoint": issuer + routes.USERINFO,
        "jwks_uri": issuer + routes.JWKS,
        "introspection_endpoint": issuer + routes.INTROSPECT,
        "revocation_endpoint": issuer + routes.REVOKE,
        "end_session_endpoint": issuer + routes.LOGOUT,
        "response_types_supported": list(RESPONSE_TYPES),
        "response_modes_supported": list(RESPONSE_MODES),
        "grant_types_supported": list(GRANT_TYPES),
        "code_challenge_methods_supported": list(PKCE_METHODS),
        "token_endpoint_auth_methods_supported": list(AUTH_METHODS),
        "token_endpoint_auth_signing_alg_values_supported": list(rfc7523.ALGORITHMS),
        "introspection_endpoint_auth_methods_supported": AUTHENTICATED_METHODS,
        "introspection_endpoint_auth_signing_alg_values_supported": list(rfc7523.ALGORITHMS),
        "revocation_endpoint_auth_methods_supported": AUTHENTICATED_METHODS,
        "revocation_endpoint_auth_signing_alg_values_supported": list(rfc7523.ALGORITHMS),
        "id_token_signing_alg_values_supported": list(ALGORITHMS),
        "authorization_signing_alg_values_supported": list(ALGORITHMS),
        "subject_types_supported": list(get_args(SubjectType)),
        "scopes_supported": ["openid", "profile"],
        "claims_supported": [*CLAIMS, *person_claims_offered(provider)],
        "ui_locales_supported": list(LOCALES),
        "prompt_values_supported": list(PROMPT_VALUES),
        "display_values_supported": ["page"],
        "claims_parameter_supported": False,
        "request_parameter_supported": True,
        "request_object_signing_alg_values_supported": list(rfc9101.ALGORITHMS),
        "request_uri_parameter_supported": False,
        "require_pushed_authorization_requests": False,
        "authorization_response_iss_parameter_supported": True,
        "frontchannel_logout_supported": True,
        "frontchannel_logout_session_supported": True,
        "backchannel_logout_supported": True,
        "backchannel_logout_session_supported": True,
        "acr_values_supported": [*acr, *short],
        "authorization_details_types_supported": list(provider.representation.types),
        "dpop_signing_alg_values_supported": list(rfc9449.ALGORITHMS),
    }
