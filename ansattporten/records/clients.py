"""Registered clients and the provider's signing keys, as the store keeps them."""

from __future__ import annotations

from typing import Any

import msgspec


class Client(msgspec.Struct, frozen=True, kw_only=True):
    """A registered client (a service). The secret is held only as a scrypt hash."""

    client_id: str
    auth_method: str
    secret_hash: str | None = None
    redirect_uris: tuple[str, ...] = ()
    post_logout_redirect_uris: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ("openid", "profile")
    grant_types: tuple[str, ...] = ("authorization_code",)
    client_name: str | None = None
    access_token_lifetime: int | None = None
    id_token_signed_response_alg: str = "RS256"
    authorization_signed_response_alg: str = "RS256"
    subject_type: str = "pairwise"
    organization_number: str | None = None
    allowed_cors_origins: tuple[str, ...] = ()
    jwks: dict[str, Any] | None = None
    jwks_uri: str | None = None
    frontchannel_logout_uri: str | None = None
    frontchannel_logout_session_required: bool = False
    backchannel_logout_uri: str | None = None
    backchannel_logout_session_required: bool = False
    updated_at: float = 0.0

    @property
    def wants_sid(self) -> bool:
        """Its id_tokens carry `sid` (OpenID Front- and Back-Channel Logout 1.0)."""
        return self.frontchannel_logout_session_required or (
            self.backchannel_logout_session_required
        )

    @property
    def name(self) -> str:
        """What the person is shown: the registered name, else the client_id."""
        return self.client_name or self.client_id


class SigningKey(msgspec.Struct, frozen=True, kw_only=True):
    """A private signing key every instance shares (see `flows.keyring`)."""

    kid: str
    alg: str
    private_jwk: dict[str, Any]
    created_at: float
    activate_at: float
    """When it starts signing; published in the JWKS from `created_at` on."""
    retire_at: float | None = None
    """When it stops being published (tokens it signed have expired by then)."""
