"""JWT Secured Authorization Response Mode for OAuth 2.0 (JARM).

With a JWT response mode the authorization response's parameters (`code` and `state`,
or `error`, `error_description` and `state`) travel inside one JWT the provider signs,
in a single parameter `response`, so the client can tell the response came from us and
was meant for it. The JWT carries `iss` (which also protects against mix-up, RFC 9207),
`aud` (the client) and `exp` (JARM 2.1); `iat` too, for clients that check its age.

`query.jwt` and `form_post.jwt` name how the JWT travels; `jwt` means the response
type's default, which for `code` is the query (JARM 2.3.4).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = ["JWT_MODES", "RESPONSE_LIFETIME", "response_claims", "transport_of"]

JWT_MODES: Final = {"query.jwt": "query", "form_post.jwt": "form_post", "jwt": "query"}
"""Each JWT response mode and how its JWT travels (for `response_type=code`)."""

RESPONSE_LIFETIME: Final = 300
"""Seconds a response JWT is valid: enough for a slow browser to arrive; the code
inside it expires sooner (`code_lifetime`), which is what bounds its use."""


def transport_of(response_mode: str) -> str | None:
    """`query` or `form_post` for a JWT response mode; None for any other mode."""
    return JWT_MODES.get(response_mode)


def response_claims(
    params: Mapping[str, str], *, issuer: str, client_id: str, now: int
) -> dict[str, Any]:
    """The response JWT's claims: the response parameters with `iss`, `aud`, `iat` and
    `exp`. A parameter may not replace those (ValueError): they are the JWT's own."""
    own: dict[str, Any] = {
        "iss": issuer,
        "aud": client_id,
        "iat": now,
        "exp": now + RESPONSE_LIFETIME,
    }
    clash = sorted(name for name in set(params) & set(own) if params[name] != own[name])
    if clash:
        raise ValueError(f"response parameters may not replace {', '.join(clash)}")
    return {**params, **own}
