"""The raw HTTP side of the Altinn client: one pooled httpx transport, strict answers.

Every way an answer can be untrustworthy — connection refused, timeout, a body over the
size limit, JSON that does not match the contract — becomes `SourceUnavailable`, so a
caller never sees a partial list. No message or log line here carries the person's
identity number. Each request carries the current token from `credentials`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx
import msgspec

from authz_sources.altinn.credentials import Credentials, StaticCredentials
from authz_sources.altinn.settings import AltinnSettings
from authz_sources.errors import SourceUnavailable
from authz_sources.http_transport import HttptoolsTransport

T = TypeVar("T")
logger = logging.getLogger(__name__)
_SUBJECT_IN_URL = re.compile(r"(subject=)[^&\s\"]*", re.IGNORECASE)


class _RedactSubject(logging.Filter):
    """httpx logs request URLs at INFO; Altinn 2 puts the person's number in the query."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite `subject=<pid>` in the log arguments; never drops the record."""
        if isinstance(record.args, tuple):
            record.args = tuple(
                _SUBJECT_IN_URL.sub(r"\1***", str(arg)) if "subject=" in str(arg) else arg
                for arg in record.args
            )
        return True


_httpx_logger = logging.getLogger("httpx")
if not any(isinstance(f, _RedactSubject) for f in _httpx_logger.filters):
    _httpx_logger.addFilter(_RedactSubject())


MAX_PARSED_URLS = 256
"""Parsed endpoint URLs kept (paths only: no person's number is ever in a path here)."""


class AltinnHttp:
    """The raw HTTP side: URLs, headers, limits and error mapping.

    Requests go straight to the client's transport with a request built here, rather
    than through `AsyncClient.send`: measured against the mock, the client's layers
    (URL parsing, header merging, cookies, auth and redirect handling, none of which a
    register call uses) cost about 200 us of CPU per call, more than the transport, and
    a login makes two calls. The client still owns the transport's life (`aclose`)."""

    def __init__(
        self,
        settings: AltinnSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        credentials: Credentials | None = None,
    ) -> None:
        self.settings = settings
        self.credentials = credentials or StaticCredentials(settings.bearer_token)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._active: httpx.AsyncBaseTransport | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._urls: dict[str, httpx.URL] = {}
        self._timeouts = httpx.Timeout(settings.timeout_ms / 1000).as_dict()

    def client(self) -> httpx.AsyncClient:
        """The shared client, created on first use (creating a source opens nothing).

        Pooled connections belong to the event loop that opened them, so a call from a
        different loop (say, a start-up health check under `asyncio.run` before the
        server's loop starts) gets a fresh client instead of a broken pool.
        """
        loop = asyncio.get_running_loop()
        if self._client is not None and self._loop is not loop:
            logger.warning("Altinn source used from a new event loop; old pool dropped")
            self._client = None
        if self._client is None or self._client.is_closed:
            self._loop = loop
            headers = {"Accept": "application/json"}
            if self.settings.subscription_key:
                headers["Ocp-Apim-Subscription-Key"] = self.settings.subscription_key
            # the pool's bound lives in the transport (see authz_sources.http_transport)
            self._active = self._transport or HttptoolsTransport(max_connections=32)
            self._client = httpx.AsyncClient(
                headers=headers,
                timeout=httpx.Timeout(self.settings.timeout_ms / 1000),
                transport=self._active,
                follow_redirects=False,
            )
        return self._client

    def _request(
        self,
        method: str,
        url: str,
        body: bytes | None,
        params: Mapping[str, str | int] | None,
        headers: Mapping[str, str] | None,
    ) -> httpx.Request:
        """What `AsyncClient.build_request` would build: the client's default headers
        first, the call's own after, its timeouts in the extensions."""
        parsed = self._urls.get(url)
        if parsed is None:
            if len(self._urls) >= MAX_PARSED_URLS:
                self._urls.clear()
            parsed = self._urls[url] = httpx.URL(url)
        if params:
            parsed = parsed.copy_merge_params(params)
        send_headers = httpx.Headers(self.client().headers)
        send_headers.update(headers or {})
        if body is not None:
            send_headers["Content-Type"] = "application/json"
        return httpx.Request(
            method,
            parsed,
            content=body,
            headers=send_headers,
            extensions={"timeout": self._timeouts},
        )

    async def aclose(self) -> None:
        """Close the pool; safe to call more than once."""
        client, self._client = self._client, None
        if client is not None and self._loop is asyncio.get_running_loop():
            await client.aclose()

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
        limit = self.settings.max_response_bytes
        if authorization:
            headers = {**(headers or {}), "Authorization": authorization}
        try:
            request = self._request(method, url, body, params, headers)
            assert self._active is not None  # set by client(), called just above
            response = await self._active.handle_async_request(request)
            try:
                declared = response.headers.get("content-length")
                if declared is not None and declared.isdigit() and int(declared) > limit:
                    raise SourceUnavailable(f"Altinn {what}: answer larger than {limit} bytes")
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise SourceUnavailable(f"Altinn {what}: answer larger than {limit} bytes")
                    chunks.append(chunk)
                return response.status_code, b"".join(chunks)
            finally:
                await response.aclose()
        except httpx.TimeoutException as exc:
            raise SourceUnavailable(f"Altinn {what}: timed out") from exc
        except httpx.HTTPError as exc:
            raise SourceUnavailable(f"Altinn {what}: {type(exc).__name__}") from exc

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
