"""A code redeemed, or a refresh token traded, a second time: the same answer again, or
the grant revoked.

The second time is one of two things. A client that never got the first answer (the
instance stopped mid-response, the connection dropped) retries at once, with the same
code and PKCE verifier or the same refresh token, authenticated as itself: it must get
the tokens it was given, not a revoked grant. Or the code or token leaked and someone
else uses it: RFC 6749 4.1.2 and RFC 9700 4.5 / 4.14.2 say to refuse it and revoke
what it gave.

By the time this runs, the caller is the code's own client, authenticated, with the
right redirect_uri and PKCE verifier (or the refresh token's own client): whoever else
presents a code is refused earlier and changes nothing. The first answer was kept,
sealed with the code or token itself (`sealed_answers`). Within `token_retry_seconds`
of the first use, a presenter who opens it gets it again - exactly the tokens the first
use produced, nothing new, while the grant is still active. Later, or when it cannot be
opened, the use is refused and the grant revoked, as before. docs/security.md gives the
reasoning.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ansattporten.errors import InvalidGrant
from ansattporten.flows.context import Provider
from ansattporten.flows.dpop import nonce_headers
from ansattporten.flows.sealed_answers import seal, unseal
from ansattporten.outcomes import JsonBody

CODE_ANSWER = "token response of a code"
REFRESH_ANSWER = "token response of a refresh token"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_BODY = msgspec.json.Decoder(dict[str, Any])


def answer_headers(provider: Provider) -> dict[str, str]:
    """The headers of every token answer, a retried one's too: never cached, and the
    DPoP nonce to use next when nonces are required (`nonce_headers`)."""
    return {**NO_STORE, **nonce_headers(provider)}


def sealed_answer(presented: str, purpose: str, body: dict[str, Any]) -> str:
    return seal(presented, purpose, msgspec.json.encode(body))


async def answer_again(
    provider: Provider,
    grant_id: str,
    first_use: float,
    sealed: str | None,
    presented: str,
    purpose: str,
) -> JsonBody:
    """The first answer (`sealed`, kept at `first_use`) again, if this is a retry;
    otherwise refuse and revoke the grant."""
    now = provider.clock()
    if now - first_use <= provider.settings.token_retry_seconds:
        kept = unseal(presented, purpose, sealed)
        if kept is not None and await provider.store.grant_is_active(grant_id, now):
            return JsonBody(_BODY.decode(kept), headers=answer_headers(provider))
    await provider.store.revoke_grant(grant_id, now)
    if purpose == CODE_ANSWER:
        raise InvalidGrant("the code was already redeemed")
    raise InvalidGrant("the refresh token was already used")
