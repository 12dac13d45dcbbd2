"""Discovery documents of the mock Entra ID (v2.0), per tenant and for `common` and
`organizations`, shaped like `login.microsoftonline.com/<tenant>/v2.0/.well-known/
openid-configuration`. For `common`/`organizations` the issuer is the template
`.../{tenantid}/v2.0`, exactly as Microsoft publishes it: a client must put the token's
`tid` in it before comparing. Like Entra, the documents do not advertise PAR,
`code_challenge_methods_supported` or `authorization_response_iss_parameter_supported`.
"""

from __future__ import annotations

from typing import Any

MULTI_TENANT = ("common", "organizations")


def issuer_of(base_url: str, tenant_id: str) -> str:
    return f"{base_url}/{tenant_id}/v2.0"


def discovery_document(base_url: str, path_tenant: str, tenant_id: str | None) -> dict[str, Any]:
    """`path_tenant` is the tenant segment the endpoints use; `tenant_id` is None for the
    multi-tenant documents (issuer with `{tenantid}`)."""
    segment = tenant_id or path_tenant
    endpoints = f"{base_url}/{segment}"
    return {
        "token_endpoint": f"{endpoints}/oauth2/v2.0/token",
        "token_endpoint_auth_methods_supported": [
            "client_secret_post",
            "private_key_jwt",
            "client_secret_basic",
        ],
        "jwks_uri": f"{endpoints}/discovery/v2.0/keys",
        "response_modes_supported": ["query", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": issuer_of(base_url, tenant_id or "{tenantid}"),
        "request_uri_parameter_supported": False,
        "authorization_endpoint": f"{endpoints}/oauth2/v2.0/authorize",
        "claims_supported": [
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "acr",
            "nonce",
            "preferred_username",
            "name",
            "tid",
            "ver",
            "email",
            "oid",
            "groups",
            "amr",
        ],
        "tenant_region_scope": "EU" if tenant_id else None,
    }
