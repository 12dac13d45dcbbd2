"""Provider, mock Altinn and mock Maskinporten as separate servers over real HTTP, wired
as a pilot would wire the real ones: the Altinn source signs a JWT grant with its key,
gets a Maskinporten token, exchanges it at the mock Altinn for an Altinn token, and calls
authorized parties and the PDP with it. The mock Altinn accepts nothing else.

Two small ASGI wrappers let tests look and interfere without touching the wire paths:
`Recorder` keeps every request (and authorized-parties answer) the mock Altinn gets, and
`Outage` makes the mock Maskinporten answer 503 while `down` is set."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from litestar import Litestar

from authz_sources.altinn.mock import create_mock_app
from authz_sources.altinn.mock_auth import MaskinportenGate
from authz_sources.maskinporten.mock import create_mock_maskinporten, token_requests
from tests.support.maskinporten_keys import ClientKeys
from tests.support.provider import RunningProvider, run_provider
from tests.support.servers import answer_lifespan, serve_in_thread

PARTIES_PATH = "/accessmanagement/api/v1/resourceowner/authorizedparties"


@dataclass
class Call:
    path: str
    query: bytes
    answer: bytes = b""


@dataclass
class Recorder:
    """Forwards to `app` and keeps what was asked (and answered, for authorized parties)."""

    app: Any
    calls: list[Call] = field(default_factory=list)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        call = Call(scope["path"], scope.get("query_string", b""))
        self.calls.append(call)

        async def keep(message: Any) -> None:
            if message["type"] == "http.response.body" and call.path == PARTIES_PATH:
                call.answer += message.get("body", b"")
            await send(message)

        await self.app(scope, receive, keep)

    def parties_calls(self) -> list[Call]:
        return [c for c in self.calls if c.path == PARTIES_PATH]


@dataclass
class Outage:
    """The wrapped server, or a 503 while `down`."""

    app: Any
    down: bool = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await answer_lifespan(receive, send)
            return
        if not self.down:
            await self.app(scope, receive, send)
            return
        body = b'{"error":"server_error","error_description":"down for maintenance"}'
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})


@dataclass
class AltinnStack:
    provider: RunningProvider
    altinn_url: str
    altinn: Litestar
    recorder: Recorder
    maskinporten_url: str
    maskinporten: Litestar
    outage: Outage
    keys: ClientKeys

    @property
    def token_requests(self) -> int:
        return token_requests(self.maskinporten)

    @property
    def exchanges(self) -> int:
        gate = self.altinn.state["altinn"].gate
        assert isinstance(gate, MaskinportenGate)
        return gate.exchanges

    def replace_fixture(self, fixture: Mapping[str, Any]) -> None:
        """Change what the mock Altinn knows (its test-only admin endpoint)."""
        response = httpx.put(f"{self.altinn_url}/_mock/fixture", json=dict(fixture))
        assert response.status_code == 204, response.text


@contextlib.contextmanager
def altinn_stack(
    database_url: str,
    fixture: Path | Mapping[str, Any],
    keys: ClientKeys,
    *,
    token_lifetime: int = 120,
    source: Mapping[str, Any] | None = None,
    accept_maskinporten_tokens: bool = False,
) -> Iterator[AltinnStack]:
    """The three servers; `source` overrides keys of `[sources.altinn]` (a None value
    removes the key)."""
    maskinporten = create_mock_maskinporten(keys.clients(), token_lifetime=token_lifetime)
    outage = Outage(maskinporten)
    with serve_in_thread(outage) as maskinporten_url:
        issuer = maskinporten_url + "/"
        gate = MaskinportenGate(issuer, accept_maskinporten_tokens=accept_maskinporten_tokens)
        altinn = create_mock_app(fixture, gate=gate, admin=True)
        recorder = Recorder(altinn)
        with serve_in_thread(recorder) as altinn_url:
            settings = {
                "base_url": altinn_url,
                "maskinporten_issuer": issuer,
                "maskinporten_client_id": keys.client_id,
                "maskinporten_key": str(keys.jwk_file),
                **(source or {}),
            }
            settings = {key: value for key, value in settings.items() if value is not None}
            overrides = {"sources": {"altinn": settings}, "rate_limit": False}
            with run_provider(database_url, overrides) as provider:
                yield AltinnStack(
                    provider=provider,
                    altinn_url=altinn_url,
                    altinn=altinn,
                    recorder=recorder,
                    maskinporten_url=maskinporten_url,
                    maskinporten=maskinporten,
                    outage=outage,
                    keys=keys,
                )
