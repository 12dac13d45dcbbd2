"""OpenID Connect Back-Channel Logout 1.0: the logout token.

A JWT signed with the keys (and the client's algorithm) of its id_tokens, typed
`logout+jwt` so it can never pass for an id_token or an access token, and without a
`nonce`, so it cannot be replayed as an id_token in an authentication response (section
2.4). `events` names the back-channel logout event; `sid` says which of the service's
sessions ended, `sub` whose.
"""

from __future__ import annotations

from typing import Any, Final

BACKCHANNEL_LOGOUT_EVENT: Final = "http://schemas.openid.net/event/backchannel-logout"
LOGOUT_TOKEN_TYP: Final = "logout+jwt"


def logout_token_claims(
    *, issuer: str, client_id: str, sub: str, sid: str, jti: str, now: int, lifetime: int
) -> dict[str, Any]:
    """The claims of one logout token: `iss`, `aud` (the client), `iat`, `exp` (required
    since the final version of the specification), `jti`, `events`, `sub` and `sid`.
    Never `nonce`."""
    return {
        "iss": issuer,
        "aud": client_id,
        "iat": now,
        "exp": now + lifetime,
        "jti": jti,
        "events": {BACKCHANNEL_LOGOUT_EVENT: {}},
        "sub": sub,
        "sid": sid,
    }
