"""POST /token: the authorization code grant.

1. read the form (each parameter once) and the grant type
2. authenticate the client with its registered method
3. consume the code - exactly once, even under concurrent redemption
4. the code must belong to this client and this redirect_uri
5. PKCE: the verifier must hash to the challenge
6. sign the id_token and the access token; both carry `authorization_details`, and so
   does the response (RFC 9396 7)
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from ansattporten.errors import InvalidGrant, InvalidRequest, UnsupportedGrantType
from ansattporten.flows.client_auth import authenticate_client
from ansattporten.flows.clients import RegisteredClient
from ansattporten.flows.context import Provider
from ansattporten.flows.issue_code import code_hash
from ansattporten.flows.results import JsonBody
from ansattporten.spec import oidc_core, rfc7636
from ansattporten.spec.rfc6749 import single_valued
from ansattporten.store import AuthorizationCode

TOKEN_PARAMETERS = frozenset(
    {
        "grant_type",
        "code",
        "redirect_uri",
        "code_verifier",
        "client_id",
        "client_secret",
        "client_assertion",
        "client_assertion_type",
        "refresh_token",
        "scope",
        "authorization_details",
    }
)
SHORT_ACR = {"idporten-loa-substantial": "substantial", "idporten-loa-high": "high"}
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def token(
    provider: Provider, pairs: Iterable[tuple[str, str]], authorization: str | None
) -> JsonBody:
    params = single_valued(pairs, names=TOKEN_PARAMETERS)
    grant_type = params.get("grant_type")
    if not grant_type:
        raise InvalidRequest("grant_type is required")
    if grant_type != "authorization_code":
        raise UnsupportedGrantType("only the authorization_code grant is supported")
    client = await authenticate_client(provider, params, authorization)
    code = await consume_code(provider, params)
    check_code_belongs_to(code, client, params)
    check_pkce(code, params)
    return JsonBody(sign_tokens(provider, client, code), headers=NO_STORE)


async def consume_code(provider: Provider, params: dict[str, str]) -> AuthorizationCode:
    code = params.get("code")
    if not code:
        raise InvalidRequest("code is required")
    record = await provider.store.consume_code(code_hash(code), provider.clock())
    if record is None:
        raise InvalidGrant("the code is invalid, expired or already used")
    return record


def check_code_belongs_to(
    code: AuthorizationCode, client: RegisteredClient, params: dict[str, str]
) -> None:
    if code.client_id != client.client_id:
        raise InvalidGrant("the code was issued to another client")
    if params.get("redirect_uri") != code.redirect_uri:
        raise InvalidGrant("redirect_uri does not match the authorization request")


def check_pkce(code: AuthorizationCode, params: dict[str, str]) -> None:
    verifier = params.get("code_verifier")
    if not verifier:
        raise InvalidRequest("code_verifier is required (PKCE)")
    if not rfc7636.verify_s256(verifier, code.code_challenge):
        raise InvalidGrant("code_verifier does not match the code_challenge")


def returned_acr(provider: Provider, acr: str) -> str:
    if provider.settings.short_acr_in_tokens:
        return SHORT_ACR.get(acr, acr)
    return acr


def sign_tokens(
    provider: Provider, client: RegisteredClient, code: AuthorizationCode
) -> dict[str, Any]:
    claims = code.claims
    now = int(provider.clock())
    acr = returned_acr(provider, claims["acr"])
    details = claims.get("authorization_details")
    keys = provider.keyring.keys
    lifetime = client.access_token_lifetime or provider.settings.access_token_lifetime
    access_token = keys.sign(
        oidc_core.access_token_claims(
            issuer=provider.issuer,
            client_id=client.client_id,
            sub=claims["sub"],
            pid=claims["pid"],
            acr=acr,
            amr=claims["amr"],
            auth_time=claims["auth_time"],
            scope=claims["scope"],
            now=now,
            lifetime=lifetime,
            jti=f"{code.grant_id}.{secrets.token_urlsafe(12)}",
            client_amr=client.auth_method,
            authorization_details=details,
        ),
        typ="at+jwt",
    )
    id_token = keys.sign(
        oidc_core.id_token_claims(
            issuer=provider.issuer,
            client_id=client.client_id,
            sub=claims["sub"],
            pid=claims["pid"],
            acr=acr,
            amr=claims["amr"],
            auth_time=claims["auth_time"],
            nonce=claims["nonce"],
            locale=claims["locale"],
            now=now,
            lifetime=provider.settings.id_token_lifetime,
            jti=secrets.token_urlsafe(12),
            authorization_details=details,
        ),
        alg=client.id_token_alg,
    )
    body: dict[str, Any] = {
        "access_token": access_token,
        "id_token": id_token,
        "token_type": "Bearer",
        "expires_in": lifetime,
        "scope": claims["scope"],
    }
    if details is not None:
        body["authorization_details"] = details
    return body
