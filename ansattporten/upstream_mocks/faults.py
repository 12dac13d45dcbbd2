"""Faults a test can switch on in a running mock, to see a broker refuse what a broken
or hostile upstream sends.

Set `mock.faults = Faults(...)` on the handle of a running mock (the server reads the
attribute on every request). Every field's default is "behave".
"""

from __future__ import annotations

import msgspec


class Faults(msgspec.Struct, frozen=True, kw_only=True):
    unavailable: bool = False
    """Every endpoint answers 503 `temporarily_unavailable` (an upstream that is down)."""

    delay_seconds: float = 0.0
    """Back-channel answers (discovery, JWKS, PAR, token, userinfo) wait this long."""

    id_token_issuer: str | None = None
    """`iss` of issued id_tokens (a token from another issuer)."""

    id_token_audience: str | None = None
    """`aud` of issued id_tokens (a token meant for another client)."""

    id_token_nonce: str | None = None
    """`nonce` of issued id_tokens (a replayed or forged token)."""

    id_token_expired: bool = False
    """Issue id_tokens whose `exp` is already past."""

    sign_with_unpublished_key: bool = False
    """Sign id_tokens with a key the JWKS never publishes."""

    response_issuer: str | None = None
    """`iss` on the authorization response (RFC 9207) instead of the mock's own: an
    answer that claims to come from another provider."""

    omit_response_issuer: bool = False
    """Leave `iss` off the authorization response although discovery advertises it."""
