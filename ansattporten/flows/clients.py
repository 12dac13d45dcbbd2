"""Registered clients: finding one, and creating them from settings."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from ansattporten.errors import InvalidClientMetadata, TemporarilyUnavailable
from ansattporten.records import Client
from ansattporten.secret_hashing import (
    VerifierBusy,
    hash_secret,
    verify_secret,
    verify_secret_off_loop,
)
from ansattporten.settings import ClientSettings
from ansattporten.spec.norwegian_orgno import is_valid_orgno
from ansattporten.spec.rfc6454 import exact_origin
from ansattporten.store import Store


async def secret_matches(client: Client, secret: str) -> bool:
    """The scrypt check runs off the event loop (`secret_hashing`); when too many are
    waiting, the client is asked to come back shortly rather than queued without end."""
    if client.secret_hash is None:
        return False
    try:
        return await verify_secret_off_loop(secret, client.secret_hash)
    except VerifierBusy:
        raise TemporarilyUnavailable("too many client authentications at once") from None


async def find_client(store: Store, client_id: str) -> Client | None:
    if "\x00" in client_id:  # no client has one, and PostgreSQL text cannot hold it
        return None
    return await store.get_client(client_id)


def client_record(settings: ClientSettings, existing: Client | None = None) -> Client:
    """Validate a client definition and build its record; an unchanged secret keeps its
    existing hash so restarts do not re-hash every secret."""
    if not settings.redirect_uris:
        raise InvalidClientMetadata(f"client {settings.client_id}: redirect_uris is empty")
    for uri in settings.redirect_uris:
        check_absolute(settings.client_id, "redirect_uri", uri)
    check_logout_uris(settings)
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
    check_organization_number(settings)
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
    return Client(
        client_id=settings.client_id,
        secret_hash=secret_hash,
        auth_method=settings.token_endpoint_auth_method,
        redirect_uris=tuple(settings.redirect_uris),
        post_logout_redirect_uris=tuple(settings.post_logout_redirect_uris),
        scopes=tuple(settings.scopes),
        grant_types=tuple(settings.grant_types),
        client_name=settings.client_name,
        access_token_lifetime=settings.access_token_lifetime,
        id_token_signed_response_alg=settings.id_token_signed_response_alg,
        authorization_signed_response_alg=settings.authorization_signed_response_alg,
        subject_type=settings.subject_type,
        organization_number=settings.organization_number,
        allowed_cors_origins=cors_origins(settings),
        jwks=settings.jwks,
        jwks_uri=settings.jwks_uri,
        frontchannel_logout_uri=settings.frontchannel_logout_uri,
        frontchannel_logout_session_required=settings.frontchannel_logout_session_required,
        backchannel_logout_uri=settings.backchannel_logout_uri,
        backchannel_logout_session_required=(
            settings.backchannel_logout_uri is not None
            if settings.backchannel_logout_session_required is None
            else settings.backchannel_logout_session_required
        ),
        updated_at=time.time(),
    )


def check_absolute(client_id: str, name: str, uri: str) -> None:
    if "#" in uri or not uri.startswith(("https://", "http://")) or not urlsplit(uri).hostname:
        raise InvalidClientMetadata(
            f"client {client_id}: {name} {uri!r} must be an absolute http(s) URI without a fragment"
        )


def check_logout_uris(settings: ClientSettings) -> None:
    """Front- and back-channel logout URIs are absolute http(s) URIs; a back-channel URI
    must be on the host of one of the redirect URIs (ID-porten's rule: the provider
    POSTs only to a host the client already receives its logins on)."""
    if settings.frontchannel_logout_uri is not None:
        check_absolute(
            settings.client_id, "frontchannel_logout_uri", settings.frontchannel_logout_uri
        )
    uri = settings.backchannel_logout_uri
    if uri is None:
        return
    check_absolute(settings.client_id, "backchannel_logout_uri", uri)
    hosts = {urlsplit(redirect).hostname for redirect in settings.redirect_uris}
    if urlsplit(uri).hostname not in hosts:
        raise InvalidClientMetadata(
            f"client {settings.client_id}: backchannel_logout_uri {uri!r} must be on the "
            "host of one of its redirect_uris"
        )


def check_organization_number(settings: ClientSettings) -> None:
    orgno = settings.organization_number
    if orgno is not None and not is_valid_orgno(orgno):
        raise InvalidClientMetadata(
            f"client {settings.client_id}: organization_number {orgno[:20]!r} is not nine "
            "digits with a valid check digit (mod 11)"
        )


def cors_origins(settings: ClientSettings) -> tuple[str, ...]:
    """The registered extra origins, each exactly an origin, in RFC 6454's form."""
    origins = []
    for value in settings.allowed_cors_origins:
        origin = exact_origin(value)
        if origin is None:
            raise InvalidClientMetadata(
                f"client {settings.client_id}: allowed_cors_origins entry {value[:80]!r} "
                "must be an origin: http(s)://host[:port], without a path"
            )
        origins.append(origin)
    return tuple(dict.fromkeys(origins))


async def sync_clients(store: Store, clients: list[ClientSettings]) -> None:
    """Create or update the clients listed in settings."""
    for settings in clients:
        existing = await store.get_client(settings.client_id)
        await store.upsert_client(client_record(settings, existing))
