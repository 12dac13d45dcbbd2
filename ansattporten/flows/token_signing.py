"""Signing one grant's tokens: the access token, and the id_token of a code's first
tokens. Both `jti`s start with the grant id (`ids.new_jti`), so userinfo,
introspection, revocation and logout can find the grant."""

from __future__ import annotations

from typing import Any

from ansattporten.flows.context import Provider
from ansattporten.flows.person_claims import person_claims
from ansattporten.records import Client, GrantClaims
from ansattporten.records.ids import new_jti
from ansattporten.spec import oidc_core
from ansattporten.spec.jose import ACCESS_TOKEN_TYP
from ansattporten.spec.norwegian_orgno import iso6523_actor
from ansattporten.vocabulary import ACR_SHORT_FORMS


def returned_acr(provider: Provider, acr: str) -> str:
    if provider.settings.short_acr_in_tokens:
        return ACR_SHORT_FORMS.get(acr, acr)
    return acr


def consumer_of(client: Client) -> dict[str, str] | None:
    """The organisation that consumes the token (ID-porten: `consumer`), when the client
    registered its organisation number."""
    if client.organization_number is None:
        return None
    return iso6523_actor(client.organization_number)


def sign_tokens(
    provider: Provider,
    client: Client,
    grant_id: str,
    claims: GrantClaims,
    authorization_details: list[dict[str, Any]] | None,
    *,
    nonce: str | None,
    dpop_jkt: str | None = None,
) -> dict[str, Any]:
    """The token response for one grant; with an id_token when `nonce` is given (the
    code's first tokens), without one on refresh. With `dpop_jkt` the access token is
    bound to that DPoP key (`cnf.jkt`) and is of type DPoP (RFC 9449 5, 6.1)."""
    now = int(provider.clock())
    keys = provider.keyring.keys
    lifetime = client.access_token_lifetime or provider.settings.access_token_lifetime
    common: dict[str, Any] = {
        "issuer": provider.issuer,
        "client_id": client.client_id,
        "sub": claims.sub,
        "pid": claims.person.pid,
        "acr": returned_acr(provider, claims.acr),
        "amr": claims.amr,
        "auth_time": claims.auth_time,
        "now": now,
        "authorization_details": authorization_details,
    }
    access_token = keys.sign(
        oidc_core.access_token_claims(
            **common,
            scope=claims.scope,
            lifetime=lifetime,
            jti=new_jti(grant_id),
            client_amr=client.auth_method,
            consumer=consumer_of(client),
            cnf=None if dpop_jkt is None else {"jkt": dpop_jkt},
        ),
        typ=ACCESS_TOKEN_TYP,
    )
    body: dict[str, Any] = {
        "access_token": access_token,
        "token_type": "Bearer" if dpop_jkt is None else "DPoP",
        "expires_in": lifetime,
        "scope": claims.scope,
    }
    if authorization_details is not None:
        body["authorization_details"] = authorization_details
    if nonce is None:
        return body
    body["id_token"] = keys.sign(
        oidc_core.id_token_claims(
            **common,
            nonce=nonce,
            locale=claims.locale,
            lifetime=provider.settings.id_token_lifetime,
            jti=new_jti(grant_id),
            extra=person_claims(claims.person, claims.scope)
            | ({"sid": claims.sid} if claims.sid and client.wants_sid else {}),
        ),
        alg=client.id_token_signed_response_alg,
    )
    return body
