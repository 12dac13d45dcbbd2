"""POST /token: the authorization code grant and the refresh token grant.

authorization_code
1. read the form (each parameter once) and the grant type
2. authenticate the client with its registered method
3. DPoP (optional, RFC 9449): a proof, if sent, is checked before anything is spent
4. consume the code - exactly once, even under concurrent redemption
5. the code must belong to this client and this redirect_uri
6. PKCE: the verifier must hash to the challenge
7. a code bound to a DPoP key (`dpop_jkt`, or a proof at PAR) needs a proof with it
8. sign the id_token and the access token (bound to the proof's key, if any); both
   carry `authorization_details`, and so does the response (RFC 9396 7); a refresh
   token when the client may refresh (a public client's only when DPoP binds it)

refresh_token
1. authenticate the client; a public client only with a DPoP proof
2. trade the refresh token for a new one, once; a reused one revokes the whole grant; a
   token bound to a DPoP key is traded only with a proof of that key
3. sign a new access token with the grant's claims and `authorization_details` as
   granted at login (or as the registers say now, when `refresh_rechecks_sources`)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ansattporten import routes
from ansattporten.errors import (
    InvalidGrant,
    InvalidRequest,
    UnauthorizedClient,
    UnsupportedGrantType,
)
from ansattporten.flows.client_auth import CLIENT_CREDENTIALS, authenticate_client
from ansattporten.flows.context import Provider
from ansattporten.flows.dpop import checked_proof, nonce_headers
from ansattporten.flows.refresh_recheck import recheck_details
from ansattporten.flows.token_signing import sign_tokens
from ansattporten.outcomes import JsonBody
from ansattporten.records import Client, Code, RefreshToken
from ansattporten.records.ids import hashed, new_id
from ansattporten.spec import rfc7636
from ansattporten.spec.rfc6749 import single_valued
from ansattporten.spec.rfc9449 import DpopProof

GRANT_TYPES = ("authorization_code", "refresh_token")
TOKEN_PARAMETERS = frozenset(
    {
        "grant_type",
        "code",
        "redirect_uri",
        "code_verifier",
        "refresh_token",
        "scope",
        "authorization_details",
        *CLIENT_CREDENTIALS,
    }
)
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def token(
    provider: Provider,
    pairs: Iterable[tuple[str, str]],
    authorization: str | None,
    dpop: Sequence[str] = (),
) -> JsonBody:
    """`dpop`: the request's `DPoP` header values (none, or one proof)."""
    params = single_valued(pairs, names=TOKEN_PARAMETERS)
    grant_type = params.get("grant_type")
    if not grant_type:
        raise InvalidRequest("grant_type is required")
    if grant_type not in GRANT_TYPES:
        raise UnsupportedGrantType("grant_type must be authorization_code or refresh_token")
    client = await authenticate_client(provider, params, authorization)
    proof = await checked_proof(provider, dpop, method="POST", path=routes.TOKEN)
    if grant_type == "refresh_token":
        return await refresh(provider, client, params, proof)
    code = await consume_code(provider, params)
    check_code_belongs_to(code, client, params)
    check_pkce(code, params)
    check_code_binding(code, proof)
    claims = code.claims
    body = sign_tokens(
        provider,
        client,
        code.grant_id,
        claims,
        claims.authorization_details,
        nonce=claims.nonce,
        dpop_jkt=jkt_of(proof),
    )
    if may_refresh(client, proof):
        body.update(await new_refresh_token(provider, client, code.grant_id, proof))
    return JsonBody(body, headers=answer_headers(provider))


async def refresh(
    provider: Provider, client: Client, params: dict[str, str], proof: DpopProof | None
) -> JsonBody:
    if not may_refresh(client, proof):
        raise UnauthorizedClient(refusal_to_refresh(client))
    presented = params.get("refresh_token")
    if not presented:
        raise InvalidRequest("refresh_token is required")
    now = provider.clock()
    successor, token = refresh_token_for(provider, client, proof, grant_id="", now=now)
    grant = await provider.store.rotate_refresh_token(
        hashed(presented), client.client_id, successor, now, jkt_of(proof)
    )
    if grant is None:
        raise InvalidGrant(
            "the refresh token is invalid, expired, revoked, already used or bound to "
            "another DPoP key"
        )
    details = grant.authorization_details
    if provider.settings.refresh_rechecks_sources:
        details = await recheck_details(provider, grant)
    body = sign_tokens(
        provider, client, grant.id, grant.claims, details, nonce=None, dpop_jkt=jkt_of(proof)
    )
    body["refresh_token"] = token
    body["refresh_token_expires_in"] = int(successor.expires_at - now)
    return JsonBody(body, headers=answer_headers(provider))


def may_refresh(client: Client, proof: DpopProof | None) -> bool:
    """A client registered for the grant holds refresh tokens if it authenticates, or
    if DPoP binds them to its key (RFC 9449 5; ID-porten binds a public client's)."""
    if "refresh_token" not in client.grant_types:
        return False
    return client.auth_method != "none" or proof is not None


def refusal_to_refresh(client: Client) -> str:
    if "refresh_token" not in client.grant_types:
        return "this client may not use refresh tokens"
    return "a public client refreshes only with a DPoP proof of its token's key"


def jkt_of(proof: DpopProof | None) -> str | None:
    return None if proof is None else proof.jkt


def refresh_token_for(
    provider: Provider,
    client: Client,
    proof: DpopProof | None,
    *,
    grant_id: str,
    now: float,
) -> tuple[RefreshToken, str]:
    """A new refresh token; a public client's is bound to its DPoP key. A confidential
    client's is not: it may refresh with or without DPoP (as in ID-porten)."""
    token = new_id()
    record = RefreshToken(
        token_hash=hashed(token),
        grant_id=grant_id,
        client_id=client.client_id,
        created_at=now,
        expires_at=now + provider.settings.refresh_token_lifetime,
        dpop_jkt=jkt_of(proof) if client.auth_method == "none" else None,
    )
    return record, token


async def new_refresh_token(
    provider: Provider, client: Client, grant_id: str, proof: DpopProof | None
) -> dict[str, Any]:
    now = provider.clock()
    record, token = refresh_token_for(provider, client, proof, grant_id=grant_id, now=now)
    await provider.store.save_refresh_token(record)
    return {"refresh_token": token, "refresh_token_expires_in": int(record.expires_at - now)}


async def consume_code(provider: Provider, params: dict[str, str]) -> Code:
    code = params.get("code")
    if not code:
        raise InvalidRequest("code is required")
    record = await provider.store.consume_code(hashed(code), provider.clock())
    if record is None:
        raise InvalidGrant("the code is invalid, expired or already used")
    return record


def check_code_belongs_to(code: Code, client: Client, params: dict[str, str]) -> None:
    if code.client_id != client.client_id:
        raise InvalidGrant("the code was issued to another client")
    if params.get("redirect_uri") != code.redirect_uri:
        raise InvalidGrant("redirect_uri does not match the authorization request")


def check_pkce(code: Code, params: dict[str, str]) -> None:
    verifier = params.get("code_verifier")
    if not verifier:
        raise InvalidRequest("code_verifier is required (PKCE)")
    if not rfc7636.verify_s256(verifier, code.code_challenge):
        raise InvalidGrant("code_verifier does not match the code_challenge")


def check_code_binding(code: Code, proof: DpopProof | None) -> None:
    """RFC 9449 10: a code bound to a key is redeemed only with a proof of that key."""
    if code.dpop_jkt is not None and jkt_of(proof) != code.dpop_jkt:
        raise InvalidGrant("the code is bound to another DPoP key")


def answer_headers(provider: Provider) -> dict[str, str]:
    return {**NO_STORE, **nonce_headers(provider)}
