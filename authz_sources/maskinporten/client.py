"""A Maskinporten token client any source can use: the JWT-bearer grant, cached.

    client = MaskinportenClient(MaskinportenConfig(issuer="https://test.maskinporten.no/",
                                                   client_id=..., scope=..., signing_key=...))
    token = await client.token()      # cached; renewed in the background

A token request is rare (once per token lifetime per process), so each fetch opens its
own short-lived HTTP client: nothing pooled outlives the event loop it was opened on.
An optional `then` step turns the Maskinporten token into another one (Altinn exchanges
it for an Altinn token) inside the same cached, single-flight fetch.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
import msgspec

from authz_sources.errors import SourceUnavailable
from authz_sources.maskinporten.assertion import GRANT_TYPE, build_grant
from authz_sources.maskinporten.keys import SigningKey
from authz_sources.maskinporten.renewing_token import Issued, RenewingToken
from authz_sources.register_http import failures_as_unavailable, is_json, read_bounded

logger = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 256_000


@dataclass(frozen=True)
class MaskinportenConfig:
    """Who asks Maskinporten for what."""

    issuer: str
    """Maskinporten's issuer, the grant's `aud`: `https://test.maskinporten.no/` (test)
    or `https://maskinporten.no/` (production)."""
    client_id: str
    scope: str
    """Space-separated scopes, all registered on the client."""
    signing_key: SigningKey
    token_endpoint: str | None = None
    """Defaults to the issuer's `/token` (where Maskinporten serves it)."""
    timeout_seconds: float = 10.0
    hint: str = "check the client id, key and scopes"
    """Appended to refusals so an operator knows which settings to look at."""

    @property
    def endpoint(self) -> str:
        return self.token_endpoint or self.issuer.rstrip("/") + "/token"


class TokenAnswer(msgspec.Struct, kw_only=True):
    """Maskinporten's token response (RFC 6749 5.1)."""

    access_token: str
    expires_in: int
    token_type: str = "Bearer"
    scope: str | None = None


class ErrorAnswer(msgspec.Struct, kw_only=True):
    """An OAuth error response (RFC 6749 5.2)."""

    error: str
    error_description: str | None = None


Then = Callable[[httpx.AsyncClient, Issued], Awaitable[Issued]]


class MaskinportenClient:
    """Access tokens for one client and scope, shared by every login of the process."""

    def __init__(
        self,
        config: MaskinportenConfig,
        *,
        then: Then | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self._then = then
        self._transport = transport
        self._clock = clock
        self._wall_clock = wall_clock
        self._cache = RenewingToken(self._fetch, label="Maskinporten", clock=clock)

    @property
    def fetches(self) -> int:
        """Token fetches started so far."""
        return self._cache.fetches

    async def token(self) -> str:
        """A usable token (SourceUnavailable when Maskinporten cannot give one)."""
        return await self._cache.get()

    def discard(self, token: str) -> None:
        """The API refused `token`: fetch a new one next time."""
        self._cache.discard(token)

    async def aclose(self) -> None:
        await self._cache.aclose()

    async def _fetch(self) -> Issued:
        """One grant, one token request, then the optional `then` step."""
        async with httpx.AsyncClient(
            timeout=self.config.timeout_seconds,
            follow_redirects=False,
            transport=self._transport,
            headers={"Accept": "application/json", "Accept-Encoding": "identity"},
        ) as http:
            issued = await self._request(http)
            if self._then is not None:
                issued = await self._then(http, issued)
            return issued

    async def _request(self, http: httpx.AsyncClient) -> Issued:
        config = self.config
        grant = build_grant(
            config.signing_key,
            client_id=config.client_id,
            audience=config.issuer,
            scope=config.scope,
            now=self._wall_clock,
        )
        started = self._clock()
        with failures_as_unavailable("Maskinporten", config.timeout_seconds):
            async with http.stream(
                "POST",
                config.endpoint,
                data={"grant_type": GRANT_TYPE, "assertion": grant},
            ) as response:
                body = await read_bounded(response, MAX_ANSWER_BYTES, "Maskinporten")
        if response.status_code == 200 and is_json(response):
            try:
                answer = msgspec.json.decode(body, type=TokenAnswer)
            except msgspec.DecodeError as exc:
                raise self._fail(f"malformed token response ({exc})") from exc
            if answer.expires_in <= 0 or not answer.access_token:
                raise self._fail("token response without a usable token or lifetime")
            return Issued(answer.access_token, started + answer.expires_in)
        if 400 <= response.status_code < 500 and is_json(response):
            try:
                refusal = msgspec.json.decode(body, type=ErrorAnswer)
            except msgspec.DecodeError:
                pass
            else:
                described = (refusal.error_description or "")[:200]
                raise self._fail(
                    f"refused the grant for client {config.client_id!r}: {refusal.error}"
                    f"{' (' + described + ')' if described else ''}; {config.hint}"
                )
        raise self._fail(f"token endpoint answered HTTP {response.status_code}")

    @staticmethod
    def _fail(message: str) -> SourceUnavailable:
        """One log line (no traceback) and the exception that fails the login closed."""
        logger.error("Maskinporten %s", message)
        return SourceUnavailable(f"Maskinporten {message}")
