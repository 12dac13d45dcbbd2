"""How the Altinn source proves who it is: no token (the mock), a fixed token
(development), or a token from Maskinporten, optionally exchanged for an Altinn token.

Altinn's resource-owner APIs want a token for the scopes
`altinn:accessmanagement/authorizedparties.resourceowner` (authorized parties) and
`altinn:authorization/authorize` (the PDP). The organisation gets it from Maskinporten
with a JWT grant and, as Altinn's integration guide says, exchanges it at
`GET {platform}/authentication/api/v1/exchange/maskinporten` (bearer: the Maskinporten
token; answer: the Altinn token, a JWT, as text). Both steps run in one cached fetch
(`MaskinportenClient`), renewed before the shorter of the two lifetimes ends.
"""

from __future__ import annotations

import base64
import json
import logging
import ssl
import time
from typing import Protocol

from authz_sources.altinn.settings import AltinnSettings
from authz_sources.errors import SourceUnavailable
from authz_sources.maskinporten import (
    Issued,
    KeyMaterialError,
    MaskinportenClient,
    MaskinportenConfig,
    SigningKey,
    load_certificate,
    load_key_file,
)
from authz_sources.register_http import RegisterHttp
from authz_sources.registry import SourceConfigError

logger = logging.getLogger(__name__)

EXCHANGE_PATH = "/authentication/api/v1/exchange/maskinporten"
MAX_TOKEN_BYTES = 64_000


class Credentials(Protocol):
    """The `Authorization` header for Altinn, kept valid."""

    async def header(self) -> str | None:
        """The header value, or None to send none (SourceUnavailable if it cannot be had)."""
        ...

    def refused(self, header: str) -> None:
        """Altinn answered 401 to this header: do not send it again."""
        ...

    @property
    def renewable(self) -> bool:
        """Whether asking again after `refused` can give a different header."""
        ...

    async def aclose(self) -> None: ...


class StaticCredentials:
    """No token, or the fixed `bearer_token` of the settings."""

    renewable = False

    def __init__(self, token: str | None) -> None:
        self._header = f"Bearer {token}" if token else None

    async def header(self) -> str | None:
        return self._header

    def refused(self, header: str) -> None:
        return None

    async def aclose(self) -> None:
        return None


class MaskinportenCredentials:
    """A Maskinporten token (exchanged for an Altinn token when the settings say so)."""

    renewable = True

    def __init__(self, client: MaskinportenClient) -> None:
        self.client = client

    async def header(self) -> str | None:
        return f"Bearer {await self.client.token()}"

    def refused(self, header: str) -> None:
        self.client.discard(header.removeprefix("Bearer "))

    async def aclose(self) -> None:
        await self.client.aclose()


def _setting_error(name: str, message: str) -> SourceConfigError:
    return SourceConfigError(f"source {name!r}: {message}")


def _signing_key(name: str, settings: AltinnSettings) -> SigningKey:
    """The key or certificate the settings name, read now (SourceConfigError if bad)."""
    if bool(settings.maskinporten_key) == bool(settings.maskinporten_certificate):
        raise _setting_error(
            name, "set exactly one of maskinporten_key and maskinporten_certificate"
        )
    if settings.maskinporten_kid and not settings.maskinporten_key:
        raise _setting_error(name, "maskinporten_kid belongs with maskinporten_key")
    try:
        if settings.maskinporten_key:
            return load_key_file(
                "maskinporten_key", settings.maskinporten_key, settings.maskinporten_kid
            )
        assert settings.maskinporten_certificate is not None
        return load_certificate(
            "maskinporten_certificate",
            settings.maskinporten_certificate,
            settings.maskinporten_certificate_password,
        )
    except KeyMaterialError as exc:
        raise _setting_error(name, str(exc)) from exc


def credentials_for(
    name: str, settings: AltinnSettings, *, tls: ssl.SSLContext | None = None
) -> Credentials:
    """The credentials the settings describe; SourceConfigError naming the setting when
    they are inconsistent or the key cannot be read."""
    maskinporten_keys = (
        settings.maskinporten_client_id,
        settings.maskinporten_key,
        settings.maskinporten_kid,
        settings.maskinporten_certificate,
        settings.maskinporten_certificate_password,
        settings.maskinporten_token_endpoint,
    )
    if not settings.maskinporten_issuer:
        if any(maskinporten_keys):
            raise _setting_error(name, "the maskinporten_* settings need maskinporten_issuer")
        return StaticCredentials(settings.bearer_token)
    if settings.bearer_token:
        raise _setting_error(
            name, "bearer_token and maskinporten_issuer exclude each other; choose one"
        )
    if not settings.maskinporten_issuer.startswith(("https://", "http://")):
        raise _setting_error(name, "maskinporten_issuer must be a URL")
    if not settings.maskinporten_client_id:
        raise _setting_error(name, "maskinporten_client_id is required with maskinporten_issuer")
    if not settings.maskinporten_scope.split():
        raise _setting_error(name, "maskinporten_scope must name at least one scope")
    config = MaskinportenConfig(
        issuer=settings.maskinporten_issuer,
        client_id=settings.maskinporten_client_id,
        scope=settings.maskinporten_scope,
        signing_key=_signing_key(name, settings),
        token_endpoint=settings.maskinporten_token_endpoint,
        timeout_seconds=settings.maskinporten_timeout_ms / 1000,
        hint=(
            f"check [sources.{name}] maskinporten_client_id, maskinporten_key or "
            "maskinporten_certificate, and maskinporten_scope against the client "
            "registered in Maskinporten"
        ),
    )
    exchange = AltinnExchange(settings, tls=tls) if settings.exchange_for_altinn_token else None
    then = exchange.exchange if exchange is not None else None
    return MaskinportenCredentials(MaskinportenClient(config, then=then))


class AltinnExchange:
    """Maskinporten token in, Altinn token out."""

    def __init__(self, settings: AltinnSettings, *, tls: ssl.SSLContext | None = None) -> None:
        self.url = settings.token_exchange_url or settings.platform_root + EXCHANGE_PATH
        self.subscription_key = settings.subscription_key
        self.timeout = settings.maskinporten_timeout_ms / 1000
        self.tls = tls

    async def exchange(self, maskinporten: Issued) -> Issued:
        """One GET with the Maskinporten token, on a client of its own (a fetch is rare)."""
        headers = {"Authorization": f"Bearer {maskinporten.value}", "Accept": "text/plain"}
        if self.subscription_key:
            headers["Ocp-Apim-Subscription-Key"] = self.subscription_key
        async with RegisterHttp(
            "Altinn token exchange",
            headers=headers,
            timeout_seconds=self.timeout,
            max_bytes=MAX_TOKEN_BYTES,
            max_connections=1,
            tls=self.tls,
        ) as http:
            answer = await http.request("GET", self.url)
        body = answer.body
        if answer.status != 200:
            message = f"Altinn token exchange answered HTTP {answer.status}"
            logger.error("%s; is the Maskinporten client allowed the Altinn scopes?", message)
            raise SourceUnavailable(message)
        token = body.decode("utf-8", "replace").strip()
        if token.startswith('"'):  # a JSON string, as some gateways wrap plain text
            token = str(json.loads(token))
        if token.count(".") != 2:
            raise SourceUnavailable("Altinn token exchange: the answer is not a JWT")
        return Issued(token, min(maskinporten.expires_at, _expires_at(token)))


def _expires_at(token: str) -> float:
    """When the Altinn token expires, on the monotonic clock (read, not verified: only
    the renewal schedule depends on it; Altinn checks the token itself). Infinity when
    the token says nothing usable, so the Maskinporten token's lifetime decides."""
    try:
        body = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        exp = claims["exp"]
        if isinstance(exp, int | float) and not isinstance(exp, bool):
            return time.monotonic() + (float(exp) - time.time())
    except (ValueError, KeyError, IndexError, TypeError):
        pass
    return float("inf")
