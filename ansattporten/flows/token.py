"""POST /token: the authorization code grant and the refresh token grant.

authorization_code
1. read the form (each parameter once) and the grant type
2. authenticate the client with its registered method
3. DPoP (optional, RFC 9449): a proof, if sent, is checked before anything is spent
4. find the code: it must be this client's, for this redirect_uri, the PKCE verifier
   must hash to its challenge, and a code bound to a DPoP key (`dpop_jkt`, or a proof
   at PAR) needs a proof with it. All of it is checked before anything changes, so a
   code presented by anyone else (another client, a thief without the verifier) is
   refused and stays redeemable by its client
5. a code redeemed before: the same redemption retried shortly after gets the same
   answer (`redemption.answer_again`); later, the grant is revoked
6. sign the id_token and the access token (bound to the proof's key, if any); both
   carry `authorization_details`, and so does the response (RFC 9396 7); a refresh
   token when the client may refresh (a public client's only when DPoP binds it)
7. redeem: the code is marked used, and the refresh token and the sealed answer stored,
   in one operation (`Store.redeem_code`): a failure leaves the code unused and nothing
   written; losing a race to a redemption at the same time is step 5

refresh_token
1. authenticate the client; a public client only with a DPoP proof
2. find the refresh token and its grant: this client's, unexpired, the grant active; a
   token bound to a DPoP key is traded only with a proof of that key
3. a token traded before: the same refresh retried shortly after gets the same answer;
   later, the whole grant is revoked (it leaked)
4. sign a new access token with the grant's claims and `authorization_details` as
   granted at login (or as the registers say now, when `refresh_rechecks_sources`)
5. trade: the token is marked used, and its successor and the sealed answer stored, in
   one operation (`Store.trade_refresh_token`)
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
from ansattporten.flows.dpop import checked_proof
from ansattporten.flows.redemption import (
    CODE_ANSWER,
    REFRESH_ANSWER,
    answer_again,
    answer_headers,
    sealed_answer,
)
from ansattporten.flows.refresh_recheck import recheck_details
from ansattporten.flows.token_signing import sign_tokens
from ansattporten.outcomes import JsonBody
from ansattporten.records import Client, Code, Grant, RefreshToken
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
CODE_UNUSABLE = "the code is invalid, expired or already used"
REFRESH_UNUSABLE = "the refresh token is invalid, expired, revoked or already used"


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
    presented, code = await find_code(provider, params)
    check_code_belongs_to(code, client, params)
    check_pkce(code, params)
    check_code_binding(code, proof)
    if code.consumed_at is not None:
        return await again(provider, code, presented)
    if code.expires_at <= provider.clock():
        raise InvalidGrant(CODE_UNUSABLE)
    body, refresh_token = first_tokens(provider, client, code, proof)
    return await redeem(provider, client, code, presented, body, refresh_token)


async def find_code(provider: Provider, params: dict[str, str]) -> tuple[str, Code]:
    """The code presented, and the code as stored (nothing about it changes here)."""
    presented = params.get("code")
    if not presented:
        raise InvalidRequest("code is required")
    code = await provider.store.find_code(hashed(presented))
    if code is None:
        raise InvalidGrant(CODE_UNUSABLE)
    return presented, code


def check_code_belongs_to(code: Code, client: Client, params: dict[str, str]) -> None:
    """Another client's code is refused and left as it is (RFC 9700 4.5): a leaked code
    cannot be burned, or its grant revoked, by whoever holds it."""
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


def first_tokens(
    provider: Provider, client: Client, code: Code, proof: DpopProof | None
) -> tuple[dict[str, Any], RefreshToken | None]:
    """The code's token response, and the first refresh token's record when the client
    may refresh (it never outlives the grant)."""
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
    if not may_refresh(client, proof):
        return body, None
    now = provider.clock()
    record, refresh_token = refresh_token_for(
        provider,
        client,
        proof,
        grant_id=code.grant_id,
        now=now,
        not_after=grant_end(provider, code),
    )
    body["refresh_token"] = refresh_token
    body["refresh_token_expires_in"] = int(record.expires_at - now)
    return body, record


async def redeem(
    provider: Provider,
    client: Client,
    code: Code,
    presented: str,
    body: dict[str, Any],
    refresh_token: RefreshToken | None,
) -> JsonBody:
    answer = sealed_answer(presented, CODE_ANSWER, body)
    now = provider.clock()
    store = provider.store
    if await store.redeem_code(code.code_hash, client.client_id, now, answer, refresh_token):
        return JsonBody(body, headers=answer_headers(provider))
    redeemed = await store.find_code(code.code_hash)  # another redemption was first
    if redeemed is None or redeemed.consumed_at is None:
        raise InvalidGrant(CODE_UNUSABLE)  # it expired meanwhile
    return await again(provider, redeemed, presented)


async def again(provider: Provider, code: Code, presented: str) -> JsonBody:
    """A code redeemed before (step 4)."""
    assert code.consumed_at is not None
    return await answer_again(
        provider, code.grant_id, code.consumed_at, code.response, presented, CODE_ANSWER
    )


def grant_end(provider: Provider, code: Code) -> float:
    """When the code's grant ends: the grant and the code are written together at the
    end of the login, from one clock reading (`issue_code`), so the grant ends
    `grant_lifetime - code_lifetime` after the code does."""
    settings = provider.settings
    return code.expires_at - settings.code_lifetime + settings.grant_lifetime


async def refresh(
    provider: Provider, client: Client, params: dict[str, str], proof: DpopProof | None
) -> JsonBody:
    if not may_refresh(client, proof):
        raise UnauthorizedClient(refusal_to_refresh(client))
    presented = params.get("refresh_token")
    if not presented:
        raise InvalidRequest("refresh_token is required")
    found = await provider.store.refresh_token_and_grant(hashed(presented))
    if found is None or found[0].client_id != client.client_id:
        raise InvalidGrant(REFRESH_UNUSABLE)  # another client's token stays as it is
    token, grant = found
    if token.dpop_jkt is not None and jkt_of(proof) != token.dpop_jkt:
        raise InvalidGrant("the refresh token is bound to another DPoP key")
    if token.used_at is not None:
        return await traded_again(provider, token, presented)
    now = provider.clock()
    if token.expires_at <= now or not is_active(grant, now):
        raise InvalidGrant(REFRESH_UNUSABLE)
    assert grant is not None
    details = grant.authorization_details
    if provider.settings.refresh_rechecks_sources:
        details = await recheck_details(provider, grant)
    body = sign_tokens(
        provider, client, grant.id, grant.claims, details, nonce=None, dpop_jkt=jkt_of(proof)
    )
    successor, new_token = refresh_token_for(
        provider, client, proof, grant_id=grant.id, now=now, not_after=grant.expires_at
    )
    body["refresh_token"] = new_token
    body["refresh_token_expires_in"] = int(successor.expires_at - now)
    return await trade(provider, client, token, presented, body, successor)


def is_active(grant: Grant | None, now: float) -> bool:
    return grant is not None and grant.revoked_at is None and grant.expires_at > now


async def trade(
    provider: Provider,
    client: Client,
    token: RefreshToken,
    presented: str,
    body: dict[str, Any],
    successor: RefreshToken,
) -> JsonBody:
    answer = sealed_answer(presented, REFRESH_ANSWER, body)
    store = provider.store
    now = provider.clock()
    if await store.trade_refresh_token(token.token_hash, client.client_id, now, answer, successor):
        return JsonBody(body, headers=answer_headers(provider))
    found = await store.refresh_token_and_grant(token.token_hash)  # another trade was first
    if found is None or found[0].used_at is None:
        raise InvalidGrant(REFRESH_UNUSABLE)  # expired or revoked meanwhile
    return await traded_again(provider, found[0], presented)


async def traded_again(provider: Provider, token: RefreshToken, presented: str) -> JsonBody:
    """A refresh token traded before (step 3)."""
    assert token.used_at is not None
    return await answer_again(
        provider, token.grant_id, token.used_at, token.response, presented, REFRESH_ANSWER
    )


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


def check_code_binding(code: Code, proof: DpopProof | None) -> None:
    """RFC 9449 10: a code bound to a key is redeemed only with a proof of that key."""
    if code.dpop_jkt is not None and jkt_of(proof) != code.dpop_jkt:
        raise InvalidGrant("the code is bound to another DPoP key")


def refresh_token_for(
    provider: Provider,
    client: Client,
    proof: DpopProof | None,
    *,
    grant_id: str,
    now: float,
    not_after: float | None = None,
) -> tuple[RefreshToken, str]:
    """A new refresh token and its record; it expires after `refresh_token_lifetime`,
    or at `not_after` (the grant's end) if that comes first. A public client's is bound
    to its DPoP key; a confidential client's is not: it may refresh with or without
    DPoP (as in ID-porten)."""
    token = new_id()
    expires_at = now + provider.settings.refresh_token_lifetime
    record = RefreshToken(
        token_hash=hashed(token),
        grant_id=grant_id,
        client_id=client.client_id,
        created_at=now,
        expires_at=expires_at if not_after is None else min(expires_at, not_after),
        dpop_jkt=jkt_of(proof) if client.auth_method == "none" else None,
    )
    return record, token
