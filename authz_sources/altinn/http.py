"""The raw HTTP side of the Altinn client: one pool, strict answers.

Every way an answer can be untrustworthy (connection refused, timeout, a body over the
size limit, JSON that does not match the contract) becomes `SourceUnavailable`, so a
caller never sees a partial list. No message or log line here carries the person's
identity number (Altinn 2 puts it in the query; `register_http` never names a URL).
Each request carries the current token from `credentials`.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec

from authz_sources.altinn.credentials import Credentials, StaticCredentials
from authz_sources.altinn.settings import AltinnSettings
from authz_sources.errors import SourceUnavailable
from authz_sources.register_http import RegisterHttp

T = TypeVar("T")

POOL = 32
"""Connections to Altinn at most (one pool per source: Altinn 3, the resource registry
and Altinn 2 may be different hosts, each with up to this many)."""


class AltinnHttp:
    """The raw HTTP side: URLs, headers, the token, limits and error mapping."""

    def __init__(
        self,
        settings: AltinnSettings,
        *,
        credentials: Credentials | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.settings = settings
        self.credentials = credentials or StaticCredentials(settings.bearer_token)
        headers = {}
        if settings.subscription_key:
            headers["Ocp-Apim-Subscription-Key"] = settings.subscription_key
        self.http = RegisterHttp(
            "Altinn",
            headers=headers,
            timeout_seconds=settings.timeout_ms / 1000,
            max_bytes=settings.max_response_bytes,
            max_connections=POOL,
            tls=tls,
        )

    async def aclose(self) -> None:
        """Close the pool; safe to call more than once."""
        await self.http.aclose()

    async def fetch(
        self,
        method: str,
        url: str,
        *,
        what: str,
        body: bytes | None = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, bytes]:
        """Status and body of one request, with the current token; SourceUnavailable for
        transport failures and bodies over the limit. A 401 to a token that can be
        renewed (Maskinporten) drops that token and tries once more with a fresh one.
        The caller decides which statuses it accepts."""
        authorization = await self.credentials.header()
        status, content = await self._send(method, url, what, body, params, headers, authorization)
        if status == 401 and authorization and self.credentials.renewable:
            self.credentials.refused(authorization)
            authorization = await self.credentials.header()
            status, content = await self._send(
                method, url, what, body, params, headers, authorization
            )
        return status, content

    async def _send(
        self,
        method: str,
        url: str,
        what: str,
        body: bytes | None,
        params: Mapping[str, str | int] | None,
        headers: Mapping[str, str] | None,
        authorization: str | None,
    ) -> tuple[int, bytes]:
        if authorization:
            headers = {**(headers or {}), "Authorization": authorization}
        answer = await self.http.request(
            method,
            url,
            body=body,
            content_type="application/json" if body is not None else None,
            params=params,
            headers=headers,
            what=f"Altinn {what}",
        )
        return answer.status, answer.body

    async def fetch_json(
        self, method: str, url: str, into: type[T], *, what: str, **kwargs: Any
    ) -> T:
        """Decode a 200 answer strictly into `into`; anything else is SourceUnavailable."""
        status, content = await self.fetch(method, url, what=what, **kwargs)
        if status != 200:
            raise SourceUnavailable(f"Altinn {what}: HTTP {status}")
        return decode(content, into, what)


def decode(content: bytes, into: type[T], what: str) -> T:
    """Strict decoding: types must match the contract; unknown fields are ignored."""
    try:
        return msgspec.json.decode(content, type=into)
    except msgspec.DecodeError as exc:
        # msgspec names the path, never the value, so the message carries no personal data
        raise SourceUnavailable(f"Altinn {what}: malformed answer ({exc})") from exc
