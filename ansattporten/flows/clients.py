"""Registered clients as the flows see them, and their creation from settings."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from ansattporten.errors import InvalidClientMetadata
from ansattporten.secret_hashing import hash_secret, verify_secret
from ansattporten.settings import ClientSettings
from ansattporten.store import Client, Store


@dataclass(frozen=True, slots=True)
class RegisteredClient:
    client_id: str
    auth_method: str
    secret_hash: str | None
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]
    grant_types: tuple[str, ...]
    name: str
    access_token_lifetime: int | None
    id_token_alg: str
    jwks: dict[str, Any] | None
    jwks_uri: str | None

    @classmethod
    def from_row(cls, row: Client) -> RegisteredClient:
        meta = row.metadata_json
        return cls(
            client_id=row.client_id,
            auth_method=row.auth_method,
            secret_hash=row.secret_hash,
            redirect_uris=tuple(meta.get("redirect_uris", ())),
            post_logout_redirect_uris=tuple(meta.get("post_logout_redirect_uris", ())),
            scopes=tuple(meta.get("scopes", ("openid", "profile"))),
            grant_types=tuple(meta.get("grant_types", ("authorization_code",))),
            name=meta.get("client_name") or row.client_id,
            access_token_lifetime=meta.get("access_token_lifetime"),
            id_token_alg=meta.get("id_token_signed_response_alg", "RS256"),
            jwks=meta.get("jwks"),
            jwks_uri=meta.get("jwks_uri"),
        )


async def find_client(store: Store, client_id: str) -> RegisteredClient | None:
    if "\x00" in client_id:  # no client has one, and PostgreSQL text cannot hold it
        return None
    row = await store.get_client(client_id)
    return None if row is None else RegisteredClient.from_row(row)


def client_row(settings: ClientSettings, existing: Client | None = None) -> Client:
    """Validate a client definition and build its row; an unchanged secret keeps its
    existing hash so restarts do not re-hash every secret."""
    if not settings.redirect_uris:
        raise InvalidClientMetadata(f"client {settings.client_id}: redirect_uris is empty")
    for uri in settings.redirect_uris:
        if "#" in uri or not uri.startswith(("https://", "http://")):
            raise InvalidClientMetadata(
                f"client {settings.client_id}: redirect_uri {uri!r} must be an absolute "
                "http(s) URI without a fragment"
            )
    confidential = settings.token_endpoint_auth_method in (
        "client_secret_basic",
        "client_secret_post",
    )
    if confidential and not settings.client_secret:
        raise InvalidClientMetadata(
            f"client {settings.client_id}: {settings.token_endpoint_auth_method} needs "
            "client_secret"
        )
    if settings.token_endpoint_auth_method == "private_key_jwt" and not (
        settings.jwks or settings.jwks_uri
    ):
        raise InvalidClientMetadata(
            f"client {settings.client_id}: private_key_jwt needs jwks or jwks_uri"
        )
    secret_hash: str | None = None
    if confidential and settings.client_secret:
        if (
            existing
            and existing.secret_hash
            and verify_secret(settings.client_secret, existing.secret_hash)
        ):
            secret_hash = existing.secret_hash
        else:
            secret_hash = hash_secret(settings.client_secret)
    metadata = {
        "redirect_uris": settings.redirect_uris,
        "post_logout_redirect_uris": settings.post_logout_redirect_uris,
        "scopes": settings.scopes,
        "grant_types": settings.grant_types,
        "client_name": settings.client_name,
        "access_token_lifetime": settings.access_token_lifetime,
        "id_token_signed_response_alg": settings.id_token_signed_response_alg,
        "jwks": settings.jwks,
        "jwks_uri": settings.jwks_uri,
    }
    return Client(
        client_id=settings.client_id,
        secret_hash=secret_hash,
        auth_method=settings.token_endpoint_auth_method,
        metadata_json=metadata,
        updated_at=time.time(),
    )


async def sync_clients(store: Store, clients: list[ClientSettings]) -> None:
    """Create or update the clients listed in settings."""
    for settings in clients:
        existing = await store.get_client(settings.client_id)
        await store.upsert_client(client_row(settings, existing))
