"""The mock ID-porten's discovery document, shaped like the metadata ID-porten publishes
(`oidc_func_wellknown.md`; a public copy of test.idporten.no's document), listing only
what the mock does: no refresh tokens, logout, introspection or JARM here."""

from __future__ import annotations

from typing import Any

from ansattporten.upstream_mocks.idporten.levels import ACR_VALUES
from ansattporten.upstream_mocks.pages import SUPPORTED_LOCALES


def discovery_document(issuer: str) -> dict[str, Any]:
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "pushed_authorization_request_endpoint": f"{issuer}/par",
        "token_endpoint": f"{issuer}/token",
        "userinfo_endpoint": f"{issuer}/userinfo",
        "jwks_uri": f"{issuer}/jwks.json",
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "form_post"],
        "grant_types_supported": ["authorization_code"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
            "private_key_jwt",
            "none",
        ],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256", "RS384", "RS512"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "subject_types_supported": ["pairwise"],
        "scopes_supported": ["openid", "profile"],
        "ui_locales_supported": list(SUPPORTED_LOCALES),
        "acr_values_supported": list(ACR_VALUES),
        "prompt_values_supported": ["login"],
        "claims_supported": [
            "iss",
            "aud",
            "sub",
            "pid",
            "acr",
            "amr",
            "auth_time",
            "iat",
            "exp",
            "jti",
            "nonce",
            "locale",
            "sid",
            "name",
            "given_name",
            "family_name",
            "birthdate",
            "eidas_person_identifier",
        ],
        "claims_parameter_supported": False,
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
        "require_pushed_authorization_requests": False,
        "authorization_response_iss_parameter_supported": True,
    }
