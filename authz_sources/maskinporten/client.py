"""A Maskinporten token client any source can use: the JWT-bearer grant, cached.

    client = MaskinportenClient(MaskinportenConfig(issuer="https://test.maskinporten.no/",
                                                   client_id=..., scope=..., signing_key=...))
    token = await client.token()      # cached; renewed in the background

A token request is rare (once per token lifetime per process), so each fetch opens its
own short-lived HTTP client (`register_http`: deadline, size bound, TLS checked against
certifi's roots or `ca_file`): nothing pooled outlives the event loop it was opened on.
An optional `then` step turns the Maskinporten token into another one (Altinn exchanges
it for an Altinn token) inside the same cached, single-flight fetch.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import msgspec

from authz_sources.errors import SourceUnavailable
from authz_sources.maskinporten.assertion import GRANT_TYPE, build_grant
from authz_sources.maskinporten.keys import SigningKey
from authz_sources.maskinporten.renewing_token import Issued, RenewingToken
from authz_sources.register_http import RegisterHttp, tls_context

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
    ca_file: str | None = None
    """A PEM file of CA certificates to trust instead of certifi's roots (a test
    Maskinporten behind a private CA); read when the client is made."""

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


Then = Callable[[Issued], Awaitable[Issued]]


class MaskinportenClient:
    """Access tokens for one client and scope, shared by every login of the process."""

    def __init__(
        self,
        config: MaskinportenConfig,
        *,
        then: Then | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self._then = then
        self._tls = tls_context(config.ca_file, where="Maskinporten")
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
        issued = await self._request()
        if self._then is not None:
            issued = await self._then(issued)
        return issued

    async def _request(self) -> Issued:
        config = self.config
        grant = build_grant(
            config.signing_key,
            client_id=config.client_id,
            audience=config.issuer,
            scope=config.scope,
            now=self._wall_clock,
        )
        started = self._clock()
        form = urlencode({"grant_type": GRANT_TYPE, "assertion": grant}).encode()
        async with RegisterHttp(
            "Maskinporten",
            headers={},
            timeout_seconds=config.timeout_seconds,
            max_bytes=MAX_ANSWER_BYTES,
            max_connections=1,
            tls=self._tls,
        ) as http:
            reply = await http.request(
                "POST",
                config.endpoint,
                body=form,
                content_type="application/x-www-form-urlencoded",
            )
        if reply.status == 200 and reply.is_json:
            try:
                answer = msgspec.json.decode(reply.body, type=TokenAnswer)
            except msgspec.DecodeError as exc:
                raise self._fail(f"malformed token response ({exc})") from exc
            if answer.expires_in <= 0 or not answer.access_token:
                raise self._fail("token response without a usable token or lifetime")
            return Issued(answer.access_token, started + answer.expires_in)
        if 400 <= reply.status < 500 and reply.is_json:
            try:
                refusal = msgspec.json.decode(reply.body, type=ErrorAnswer)
            except msgspec.DecodeError:
                pass
            else:
                described = (refusal.error_description or "")[:200]
                raise self._fail(
                    f"refused the grant for client {config.client_id!r}: {refusal.error}"
                    f"{' (' + described + ')' if described else ''}; {config.hint}"
                )
        raise self._fail(f"token endpoint answered HTTP {reply.status}")

    @staticmethod
    def _fail(message: str) -> SourceUnavailable:
        """One log line (no traceback) and the exception that fails the login closed."""
        logger.error("Maskinporten %s", message)
        return SourceUnavailable(f"Maskinporten {message}")
