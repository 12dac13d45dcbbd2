"""GET|POST /userinfo: who the bearer of an access token is (as ID-porten answers).

1. the token, from `Authorization: Bearer ...` or `Authorization: DPoP ...` (RFC 9449 7)
2. one of our live access tokens (`bearer.verify_access_token`)
3. a token bound to a DPoP key (`cnf.jkt`) is taken only with the DPoP scheme and a
   proof of that key made for this request and this token (`ath`); an unbound token
   only as Bearer
4. the person's claims (those of the id_token, as the eID gave them), and `locale`: the
   language of the login (as ID-porten's userinfo answers it; our id_token carries it
   too)
A refusal is a 401 whose `WWW-Authenticate` challenge names the scheme the client used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ansattporten import routes
from ansattporten.errors import InvalidDpopProof, InvalidToken, OAuthError
from ansattporten.flows.bearer import access_token_and_grant
from ansattporten.flows.context import Provider
from ansattporten.flows.dpop import checked_proof, nonce_headers
from ansattporten.flows.person_claims import person_claims
from ansattporten.outcomes import JsonBody
from ansattporten.spec import rfc9449

USERINFO_CLAIMS = ("sub", "pid", "acr", "amr", "auth_time")
BEARER = "bearer"
DPOP = "dpop"


async def userinfo(
    provider: Provider,
    authorization: str | None,
    dpop: Sequence[str] = (),
    method: str = "GET",
) -> JsonBody:
    """`dpop`: the request's `DPoP` header values; `method`: its HTTP method (the proof
    must name it)."""
    scheme, token = presented_token(authorization)
    try:
        claims, grant = await access_token_and_grant(provider, token)
        await check_binding(provider, claims, scheme, token, dpop, method)
    except OAuthError as error:
        raise refusal(error, scheme) from error
    body = {name: claims[name] for name in USERINFO_CLAIMS if name in claims}
    body["locale"] = grant.claims.locale
    body.update(person_claims(grant.claims.person, grant.claims.scope))  # as the id_token
    return JsonBody(body, headers={"Cache-Control": "no-store", **nonce_headers(provider)})


def presented_token(authorization: str | None) -> tuple[str, str]:
    scheme, _, token = (authorization or "").strip().partition(" ")
    scheme = scheme.lower()
    if scheme not in (BEARER, DPOP) or not token.strip():
        raise InvalidToken("a Bearer or DPoP access token is required")
    return scheme, token.strip()


async def check_binding(
    provider: Provider,
    claims: dict[str, Any],
    scheme: str,
    token: str,
    dpop: Sequence[str],
    method: str,
) -> None:
    jkt = bound_key(claims)
    if scheme == BEARER:
        if jkt is not None:
            raise InvalidToken("the token is DPoP-bound: send it with the DPoP scheme")
        return
    if jkt is None:
        raise InvalidToken("the token is not DPoP-bound: send it as a Bearer token")
    proof = await checked_proof(
        provider, dpop, method=method, path=routes.USERINFO, access_token=token
    )
    if proof is None:
        raise InvalidDpopProof("a DPoP-bound token needs a DPoP proof")
    if proof.jkt != jkt:
        raise InvalidDpopProof("the DPoP proof is not made with the token's key")


def bound_key(claims: dict[str, Any]) -> str | None:
    """The thumbprint in `cnf.jkt`, for a token bound to a DPoP key."""
    cnf = claims.get("cnf")
    jkt = cnf.get("jkt") if isinstance(cnf, dict) else None
    return jkt if isinstance(jkt, str) else None


def refusal(error: OAuthError, scheme: str) -> InvalidToken:
    """401 at a protected resource, with the challenge of the scheme used (RFC 6750 3,
    RFC 9449 7.1); a nonce the client must use rides along in `DPoP-Nonce`."""
    refused = InvalidToken(error.description, headers=dict(error.headers))
    refused.error = error.error
    if scheme == DPOP:
        refused.headers["WWW-Authenticate"] = rfc9449.challenge(error.error, error.description)
    return refused
