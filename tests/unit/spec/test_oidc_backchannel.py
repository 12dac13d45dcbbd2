"""The claims of a logout token (OpenID Back-Channel Logout 1.0, section 2.4)."""

from __future__ import annotations

from ansattporten.spec.oidc_backchannel import BACKCHANNEL_LOGOUT_EVENT, logout_token_claims


def test_a_logout_token_names_the_session_and_carries_no_nonce() -> None:
    claims = logout_token_claims(
        issuer="https://op.test",
        client_id="svc",
        sub="s",
        sid="sid-1",
        jti="j",
        now=1_000,
        lifetime=120,
    )
    assert claims == {
        "iss": "https://op.test",
        "aud": "svc",
        "iat": 1_000,
        "exp": 1_120,
        "jti": "j",
        "events": {BACKCHANNEL_LOGOUT_EVENT: {}},
        "sub": "s",
        "sid": "sid-1",
    }
    assert "nonce" not in claims
    assert BACKCHANNEL_LOGOUT_EVENT == "http://schemas.openid.net/event/backchannel-logout"
