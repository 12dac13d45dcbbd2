"""HTTP client for Altinn Authorization: one pooled httpx client, strict answers.

Every way an answer can be untrustworthy — connection refused, timeout, a status other
than 2xx, a body over the size limit, JSON that does not match the contract, more parties
than allowed — becomes `SourceUnavailable`, so a caller never sees a partial list. No
message or log line here carries the person's identity number.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx
import msgspec

from authz_sources.altinn import pdp
from authz_sources.altinn.settings import AltinnSettings
from authz_sources.altinn.wire import (
    PERSON_IDENTIFIER,
    Altinn2Rights,
    AuthorizedParty,
    ReporteesPage,
    ServiceResource,
    SubjectAttribute,
    XacmlResponse,
)
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


def count_parties(parties: list[AuthorizedParty]) -> int:
    """Main units and sub-units together."""
    return sum(1 + len(party.subunits) for party in parties)


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
        self, settings: AltinnSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
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
            if self.settings.bearer_token:
                headers["Authorization"] = f"Bearer {self.settings.bearer_token}"
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
        """Status and body of one request; SourceUnavailable for transport failures and
        bodies over the limit. The caller decides which statuses it accepts."""
        limit = self.settings.max_response_bytes
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


class AltinnClient(AltinnHttp):
    """The Altinn endpoints the source uses, as typed methods."""

    page_size = 1000
    """Altinn 2 reportees per page (`$top`); the mock serves at most 1000."""

    async def authorized_parties(self, pid: str) -> list[AuthorizedParty]:
        """Everyone the person may act for, sub-units nested, bounded by `max_parties`."""
        body = msgspec.json.encode(SubjectAttribute(type=PERSON_IDENTIFIER, value=pid))
        # the fixed query is part of the URL, so its parsed form is kept (`params` would
        # be merged, and the whole URL parsed again, on every call)
        parties = await self.fetch_json(
            "POST",
            f"{self.settings.platform_root}/accessmanagement/api/v1/resourceowner/authorizedparties"
            "?includeAltinn2=true&includeAltinn3=true",
            list[AuthorizedParty],
            what="authorized parties",
            body=body,
        )
        if count_parties(parties) > self.settings.max_parties:
            raise SourceUnavailable(
                f"Altinn authorized parties: more than {self.settings.max_parties} parties"
            )
        return parties

    async def resource(self, resource_id: str) -> ServiceResource:
        """One resource-registry entry (its title)."""
        return await self.fetch_json(
            "GET",
            f"{self.settings.registry_root}/resourceregistry/api/v1/resource/{resource_id}",
            ServiceResource,
            what="resource registry",
        )

    def _altinn2_headers(self) -> dict[str, str]:
        """Altinn 2 answers HAL and authenticates service owners with an API key."""
        headers = {"Accept": "application/hal+json"}
        if self.settings.altinn2_api_key:
            headers["ApiKey"] = self.settings.altinn2_api_key
        return headers

    async def reportees(self, pid: str, code: str, edition: int) -> list[ReporteesPage]:
        """All pages of the person's Altinn 2 reportees for one link service."""
        pages: list[ReporteesPage] = []
        total = 0
        while True:
            page = await self.fetch_json(
                "GET",
                f"{self.settings.altinn2_root}/api/serviceowner/reportees",
                ReporteesPage,
                what="reportees",
                headers=self._altinn2_headers(),
                params={
                    "ForceEIAuthentication": "",
                    "subject": pid,
                    "serviceCode": code,
                    "serviceEdition": edition,
                    "$top": self.page_size,
                    "$skip": total,
                },
            )
            pages.append(page)
            total += len(page.embedded.reportees)
            if total > self.settings.max_parties:
                raise SourceUnavailable(
                    f"Altinn reportees: more than {self.settings.max_parties} parties"
                )
            if len(page.embedded.reportees) < self.page_size:
                return pages

    async def rights(self, pid: str, orgno: str, code: str, edition: int) -> list[str]:
        """The person's Altinn 2 rights (`Read`, `ArchiveRead`, ...) on one service for
        one reportee, in the register's order without repeats."""
        answer = await self.fetch_json(
            "GET",
            f"{self.settings.altinn2_root}/api/serviceowner/authorization/rights",
            Altinn2Rights,
            what="rights",
            headers=self._altinn2_headers(),
            params={
                "subject": pid,
                "reportee": orgno,
                "serviceCode": code,
                "serviceEdition": edition,
            },
        )
        held = (
            right.action
            for right in answer.rights
            if right.service_code == code and right.service_edition_code == edition
        )
        return list(dict.fromkeys(held))

    async def permitted_actions(
        self, pid: str, resource_id: str, orgnos: list[str], actions: tuple[str, ...]
    ) -> dict[str, set[str]]:
        """Ask the PDP which of `actions` the person may perform per organisation."""
        permitted: dict[str, set[str]] = {orgno: set() for orgno in orgnos}
        per_request = max(1, pdp.MAX_DECISIONS // max(1, len(actions)))
        for start in range(0, len(orgnos), per_request):
            batch = orgnos[start : start + per_request]
            answer = await self.fetch_json(
                "POST",
                f"{self.settings.platform_root}/authorization/api/v1/authorize",
                XacmlResponse,
                what="PDP",
                body=pdp.build_request(pid, resource_id, batch, actions),
            )
            for orgno, action in pdp.permits(answer, batch, actions):
                permitted[orgno].add(action)
        return permitted

    async def health(self) -> None:
        """Any 2xx from the health path; SourceUnavailable otherwise."""
        path = "/" + self.settings.health_path.lstrip("/")
        status, _ = await self.fetch("GET", self.settings.platform_root + path, what="health")
        if not 200 <= status < 300:
            raise SourceUnavailable(f"Altinn health: HTTP {status}")
