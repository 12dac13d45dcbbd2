"""Discovery metadata (OpenID Connect Discovery, RFC 8414), shaped like ID-porten's so a
client written for the real Ansattporten reads ours unchanged."""

from __future__ import annotations

from typing import Any

from ansattporten.flows.context import Provider


def metadata(provider: Provider) -> dict[str, Any]:
    issuer = provider.issuer
    acr = list(provider.settings.acr_values_supported)
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "pushed_authorization_request_endpoint": f"{issuer}/par",
        "token_endpoint": f"{issuer}/token",
        "userinfo_endpoint": f"{issuer}/userinfo",
        "jwks_uri": f"{issuer}/jwks.json",
        "introspection_endpoint": f"{issuer}/token/introspect",
        "revocation_endpoint": f"{issuer}/token/revoke",
        "end_session_endpoint": f"{issuer}/logout",
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "form_post"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
            "private_key_jwt",
            "none",
        ],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256", "ES256"],
        "introspection_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
            "private_key_jwt",
        ],
        "revocation_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
            "private_key_jwt",
        ],
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        "subject_types_supported": ["pairwise"],
        "scopes_supported": ["openid", "profile"],
        "claims_supported": [
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
            "authorization_details",
        ],
        "ui_locales_supported": ["nb", "nn", "en", "se"],
        "prompt_values_supported": ["login", "none"],
        "display_values_supported": ["page"],
        "claims_parameter_supported": False,
        "request_parameter_supported": False,
        "request_uri_parameter_supported": True,
        "require_pushed_authorization_requests": False,
        "authorization_response_iss_parameter_supported": True,
        "acr_values_supported": [*acr, "substantial", "high"],
        "authorization_details_types_supported": list(provider.representation.types),
    }
