"""Client authentication at an upstream's token and PAR endpoints (RFC 6749 2.3,
OpenID Connect Core 9, RFC 7523 2.2).

`read_credentials` finds out which method the request used (exactly one is allowed);
each mock then checks the method against the client's registration and calls
`check_secret` or `verify_assertion`. The rules that differ between upstreams (which
`aud` an assertion must name, which algorithms sign it) are parameters.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote_plus

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ansattporten.upstream_mocks.memory import Expiring, Full

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
MAX_ASSERTION_LIFETIME = 300
"""Seconds an assertion may still be valid for; a longer one is a replayable credential."""

Method = Literal["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]


class ClientAuthError(Exception):
    """An OAuth error for a failed client authentication (`invalid_client` is 401)."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description

    @property
    def status_code(self) -> int:
        return 401 if self.error == "invalid_client" else 400


@dataclass(frozen=True, slots=True)
class Credentials:
    client_id: str
    method: Method
    secret: str | None = None
    assertion: str | None = None


def read_credentials(form: Mapping[str, str], authorization: str | None) -> Credentials:
    """Which client is calling and how it proves it; refuses two methods at once."""
    used: list[Credentials] = []
    form_client_id = form.get("client_id")
    if authorization and authorization[:6].lower() == "basic ":
        client_id, secret = _basic(authorization[6:])
        used.append(Credentials(client_id, "client_secret_basic", secret=secret))
    if "client_secret" in form:
        if not form_client_id:
            raise ClientAuthError("invalid_request", "client_secret needs client_id")
        used.append(Credentials(form_client_id, "client_secret_post", form["client_secret"]))
    if "client_assertion" in form or "client_assertion_type" in form:
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            raise ClientAuthError("invalid_request", "unsupported client_assertion_type")
        assertion = form.get("client_assertion", "")
        client_id = form_client_id or _unverified_issuer(assertion)
        used.append(Credentials(client_id, "private_key_jwt", assertion=assertion))
    if len(used) > 1:
        raise ClientAuthError("invalid_request", "more than one client authentication method")
    if used:
        found = used[0]
        if form_client_id and form_client_id != found.client_id:
            raise ClientAuthError("invalid_client", "client_id does not match the credentials")
        return found
    if not form_client_id:
        raise ClientAuthError("invalid_client", "client authentication is required")
    return Credentials(form_client_id, "none")


def check_secret(expected: str | None, given: str | None) -> None:
    if (
        expected is None
        or given is None
        or not hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))
    ):
        raise ClientAuthError("invalid_client", "client authentication failed")


def verify_assertion(
    credentials: Credentials,
    *,
    jwks: Mapping[str, Any] | None,
    audiences: Collection[str],
    algorithms: Collection[str],
    seen: Expiring[bool],
) -> None:
    """Verify a `private_key_jwt` assertion: signature by a registered key, `iss` and
    `sub` the client, `aud` one of `audiences`, near `exp`, unused `jti`."""
    if not jwks or not credentials.assertion or len(credentials.assertion) > 8192:
        raise ClientAuthError("invalid_client", "client authentication failed")
    try:
        keys = KeySet.import_key_set(dict(jwks))  # type: ignore[arg-type]
        token = jwt.decode(credentials.assertion, keys, algorithms=list(algorithms))
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise ClientAuthError("invalid_client", "client assertion signature is not valid") from exc
    claims = token.claims
    now = int(time.time())
    if claims.get("iss") != credentials.client_id or claims.get("sub") != credentials.client_id:
        raise ClientAuthError("invalid_client", "client assertion iss and sub must be client_id")
    audience = claims.get("aud")
    named = [audience] if isinstance(audience, str) else audience
    if not isinstance(named, list) or not named or any(a not in audiences for a in named):
        raise ClientAuthError("invalid_client", "client assertion has the wrong aud")
    exp = claims.get("exp")
    if not isinstance(exp, int) or isinstance(exp, bool) or exp <= now:
        raise ClientAuthError("invalid_client", "client assertion is expired or has no exp")
    if exp - now > MAX_ASSERTION_LIFETIME:
        raise ClientAuthError("invalid_client", "client assertion lives too long")
    nbf = claims.get("nbf")
    if isinstance(nbf, int) and nbf > now + 30:
        raise ClientAuthError("invalid_client", "client assertion is not valid yet")
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti:
        raise ClientAuthError("invalid_client", "client assertion has no jti")
    key = f"{credentials.client_id}\x00{jti}"
    if key in seen:
        raise ClientAuthError("invalid_client", "client assertion was already used")
    try:
        seen.put(key, True, exp - now + 30)
    except Full as exc:
        raise ClientAuthError("temporarily_unavailable", "try again later") from exc


def _basic(encoded: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ClientAuthError("invalid_client", "malformed Authorization header") from exc
    client_id, colon, secret = decoded.partition(":")
    if not colon or not client_id:
        raise ClientAuthError("invalid_client", "malformed Authorization header")
    # RFC 6749 2.3.1: both parts are form-urlencoded before joining
    return unquote_plus(client_id), unquote_plus(secret)


def _unverified_issuer(assertion: str) -> str:
    """The `iss` of an assertion before verifying it: only to know whose keys to use."""
    try:
        payload = assertion.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error) as exc:
        raise ClientAuthError("invalid_client", "malformed client assertion") from exc
    issuer = claims.get("iss") if isinstance(claims, dict) else None
    if not isinstance(issuer, str) or not issuer:
        raise ClientAuthError("invalid_client", "client assertion has no iss")
    return issuer
