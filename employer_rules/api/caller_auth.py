"""Who may call the API: a configured bearer token, or a `private_key_jwt` assertion.

A `private_key_jwt` caller sends, on every request, `Authorization: Bearer <JWT>`: a JWT
it signed (RS256, PS256 or ES256) with `iss` = `sub` = its client_id, `aud` = this
API's audience (`<base_url>/parties` unless set), `exp` at most 300 s ahead, and a
`jti` never used before (we remember it until `exp`). These are RFC 7523's client
assertion rules, carried in the header because a JSON API has no form body for them.
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import JoseError

from employer_rules.api.caller_keys import CallerKeys, KeysUnavailable
from employer_rules.settings import ApiSettings

ALGORITHMS = ["RS256", "PS256", "ES256"]
MAX_LIFETIME_SECONDS = 300
LEEWAY_SECONDS = 30


class Unauthorized(Exception):
    """The caller is not one we know; the message says why (never the token)."""


class CallerAuth:
    def __init__(
        self,
        settings: ApiSettings,
        audience: str,
        remember_jti: Callable[[str, str, datetime], Awaitable[bool]],
    ) -> None:
        self._tokens = [token.encode() for token in settings.bearer_tokens]
        self._callers = {caller.client_id: CallerKeys(caller) for caller in settings.callers}
        self._audience = audience
        self._remember_jti = remember_jti

    async def check(self, authorization: str | None) -> str:
        """The caller's name (`bearer` or the client_id), or `Unauthorized`."""
        scheme, _, credential = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise Unauthorized("send Authorization: Bearer <token or assertion>")
        credential = credential.strip()
        sent = credential.encode()
        # compare with every token, so the time taken does not say which one was close
        if sum(hmac.compare_digest(sent, token) for token in self._tokens):
            return "bearer"
        if self._callers and credential.count(".") == 2:
            return await self._check_assertion(credential)
        raise Unauthorized("unknown bearer token")

    async def _check_assertion(self, assertion: str) -> str:
        try:
            unverified = jws.extract_compact(assertion.encode("ascii"))
            claims: Any = json.loads(unverified.payload)
        except (JoseError, ValueError, UnicodeError) as exc:
            raise Unauthorized("the assertion is not a JWT") from exc
        issuer = claims.get("iss") if isinstance(claims, dict) else None
        if not isinstance(issuer, str) or issuer not in self._callers:
            raise Unauthorized("the assertion's iss is not a known caller")
        keys = self._callers[issuer]
        try:
            key_set = await keys.get(unverified.protected.get("kid"))
        except KeysUnavailable as exc:
            raise Unauthorized("the caller's keys cannot be read") from exc
        try:
            token = jwt.decode(assertion, key_set, algorithms=ALGORITHMS)
            jwt.JWTClaimsRegistry(
                leeway=LEEWAY_SECONDS,
                iss={"essential": True, "value": issuer},
                sub={"essential": True, "value": issuer},
                aud={"essential": True, "value": self._audience},
                exp={"essential": True},
                jti={"essential": True},
            ).validate(token.claims)
        except (JoseError, ValueError) as exc:
            raise Unauthorized(f"the assertion was refused: {exc}") from exc
        expires = token.claims["exp"]
        if not isinstance(expires, int) or expires - time.time() > MAX_LIFETIME_SECONDS:
            raise Unauthorized(f"an assertion may live at most {MAX_LIFETIME_SECONDS} s")
        jti = token.claims["jti"]
        if not isinstance(jti, str) or not 0 < len(jti) <= 200:
            raise Unauthorized("the assertion's jti must be a short string")
        if not await self._remember_jti(issuer, jti, datetime.fromtimestamp(expires, UTC)):
            raise Unauthorized("the assertion was used before")
        return issuer
