"""The small checks and pages of the floor login (`bench.floor_login_app`), kept apart
from the routes so each can be tested alone: the client's Basic credentials, PKCE S256,
a form body, and the two HTML pages (f-strings, no template engine)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from html import escape
from urllib.parse import parse_qsl, unquote_plus

from bench import config

EXPECTED_CLIENT = (config.CLIENT_ID, config.CLIENT_SECRET)
CSRF_FIELD = "csrf_token"
"""The anti-forgery field's name, as in the provider's templates (the floor as designed
shows those)."""


def client_authenticated(authorization: str | None) -> bool:
    """`client_secret_basic` (RFC 6749 2.3.1: both parts form-urlencoded, then Base64)
    naming the bench client with its secret, compared in constant time."""
    if not authorization or not authorization.startswith("Basic "):
        return False
    try:
        decoded = base64.b64decode(authorization[6:], validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return False
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        return False
    return unquote_plus(client_id) == EXPECTED_CLIENT[0] and hmac.compare_digest(
        unquote_plus(secret).encode(), EXPECTED_CLIENT[1].encode()
    )


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def pkce_matches(verifier: str, challenge: str) -> bool:
    """RFC 7636 S256: a verifier of 43 to 128 characters whose BASE64URL(SHA256(...))
    equals the pushed challenge."""
    if not 43 <= len(verifier) <= 128:
        return False
    return hmac.compare_digest(b64url(hashlib.sha256(verifier.encode()).digest()), challenge)


def form(body: bytes) -> dict[str, str]:
    """An urlencoded body as name -> value (the last of repeated names wins; none of the
    floor's forms repeats one)."""
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def login_page(action: str, csrf: str) -> str:
    """The TestID-like form: a hidden anti-forgery value and the person's number."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in</title></head>
<body><main><h1>Log in</h1>
<form method="post" action="{action}">
<input type="hidden" name="{CSRF_FIELD}" value="{csrf}">
<label for="pid">National identity number</label>
<input id="pid" name="pid" inputmode="numeric" autocomplete="off" required>
<button type="submit">Log in</button>
</form></main></body></html>"""


def picker_page(action: str, csrf: str, parties: list[tuple[str, str]]) -> str:
    """One radio per organisation (orgno, name), names escaped."""
    options = "\n".join(
        f'<label><input type="radio" name="party" value="{orgno}"> {escape(name)} ({orgno})</label>'
        for orgno, name in parties
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Choose organisation</title></head>
<body><main><h1>On whose behalf?</h1>
<form method="post" action="{action}">
<input type="hidden" name="{CSRF_FIELD}" value="{csrf}">
{options}
<button type="submit" name="choose" value="1">Continue</button>
</form></main></body></html>"""
