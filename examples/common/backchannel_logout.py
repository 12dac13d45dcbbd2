"""Back-channel logout as a service receives it (OpenID Back-Channel Logout 1.0,
section 2.6): a POSTed `logout_token` is a JWT signed with the provider's keys, typed
`logout+jwt`, for this client, carrying the logout event and a `sid` and no `nonce`.
A valid one ends the service's own session for that `sid`. A front-channel logout
request (a GET in an iframe of the provider's logout page, with `iss` and `sid`) does
the same, unsigned.

The example services keep their sessions in a signed cookie, which a request from the
provider cannot reach, so they remember the ended `sid`s in memory instead: a session
whose `sid` is listed is over (and the "logged out" page can say the service was told).
"""

from __future__ import annotations

import asyncio
import time

from joserfc import jws, jwt
from joserfc.errors import JoseError

from examples.common.relying_party import RelyingParty

EVENT = "http://schemas.openid.net/event/backchannel-logout"
MAX_AGE = 300
"""Seconds a logout token may be old when it arrives."""


class LogoutRefused(ValueError):
    """The token is not a valid logout token for this service (answer 400)."""


class EndedSessions:
    """The `sid`s the provider said have ended, and when it said so."""

    def __init__(self, rp: RelyingParty) -> None:
        self.rp = rp
        self.ended: dict[str, set[str]] = {}
        """Per ended `sid`, how the provider said so: "back-channel", "front-channel"."""
        self._told = asyncio.Event()

    async def receive(self, token: str) -> str:
        """Verify a logout token and remember its `sid`; the `sid`."""
        try:
            header = jws.extract_compact(token.encode()).protected
            decoded = jwt.decode(token, await self.rp.jwks(), algorithms=["RS256", "ES256"])
        except (JoseError, ValueError) as error:
            raise LogoutRefused(f"not a signed JWT of the provider: {error}") from error
        claims = decoded.claims
        if header.get("typ") != "logout+jwt":
            raise LogoutRefused("typ is not logout+jwt")
        if claims.get("iss") != self.rp.issuer or claims.get("aud") not in (
            self.rp.client_id,
            [self.rp.client_id],
        ):
            raise LogoutRefused("not from our provider for this service")
        if EVENT not in (claims.get("events") or {}) or "nonce" in claims:
            raise LogoutRefused("not a logout event")
        if not isinstance(claims.get("iat"), int) or claims["iat"] < time.time() - MAX_AGE:
            raise LogoutRefused("too old")
        sid = claims.get("sid")
        if not isinstance(sid, str) or not sid:
            raise LogoutRefused("no sid")
        self.record(sid, "back-channel")
        return sid

    def receive_front_channel(self, iss: str | None, sid: str | None) -> bool:
        """A front-channel logout request (OpenID Front-Channel Logout 1.0, section 3):
        unsigned, so it only counts when `iss` is our provider's."""
        if iss != self.rp.issuer or not sid:
            return False
        self.record(sid, "front-channel")
        return True

    def record(self, sid: str, channel: str) -> None:
        self.ended.setdefault(sid, set()).add(channel)
        self._told.set()

    def is_over(self, sid: str | None) -> bool:
        return sid is not None and sid in self.ended

    async def wait_for(self, sid: str, seconds: float, channel: str = "back-channel") -> bool:
        """Whether the provider tells us by `channel` that `sid` ended within `seconds`
        (a logout page shown right after the logout may come before the provider's
        request)."""
        deadline = time.monotonic() + seconds
        while channel not in self.ended.get(sid, ()):
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._told.clear()
            try:
                await asyncio.wait_for(self._told.wait(), timeout=min(left, 0.2))
            except TimeoutError:
                continue
        return True
