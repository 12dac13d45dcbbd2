"""The upstream's keys are fetched again for a new `kid` (rotation) but not for one that
was just missing; every answer from the upstream is bounded in size and time and must
be JSON, or the upstream is unavailable."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from ansattporten.eid.upstream.errors import UpstreamRefused, UpstreamUnavailable
from ansattporten.eid.upstream.http import UpstreamHttp, basic_authorization
from tests.unit.eid.upstream_fakes import JWKS_URI, FakeUpstream, config, new_key


async def test_a_rotated_key_is_fetched_at_once() -> None:
    first, second = new_key("k1"), new_key("k2")
    upstream = FakeUpstream(first)
    keys = upstream.keys(config())
    assert (await keys.key(JWKS_URI, "k1"))["kid"] == "k1"
    assert (await keys.key(JWKS_URI, "k1"))["kid"] == "k1"
    assert upstream.fetches == 1  # kept
    upstream.published = [second, first]
    assert (await keys.key(JWKS_URI, "k2"))["kid"] == "k2"
    assert upstream.fetches == 2


async def test_a_missing_kid_does_not_fetch_again_and_again() -> None:
    upstream = FakeUpstream(new_key("k1"))
    keys = upstream.keys(config())
    for _ in range(5):
        with pytest.raises(UpstreamRefused, match="not published"):
            await keys.key(JWKS_URI, "made-up")
    assert upstream.fetches == 1
    with pytest.raises(UpstreamRefused):
        await keys.key(JWKS_URI, "another-made-up")
    assert upstream.fetches == 2


async def test_concurrent_lookups_share_one_fetch() -> None:
    upstream = FakeUpstream(new_key("k1"))
    keys = upstream.keys(config())
    found = await asyncio.gather(*(keys.key(JWKS_URI, "k1") for _ in range(10)))
    assert {jwk["kid"] for jwk in found} == {"k1"}
    assert upstream.fetches == 1


async def test_a_withdrawn_key_stops_being_trusted_when_the_cache_expires() -> None:
    upstream = FakeUpstream(new_key("k1"))
    keys = upstream.keys(config(jwks_cache_seconds=0.05))
    await keys.key(JWKS_URI, "k1")
    upstream.published = [new_key("k2")]
    await asyncio.sleep(0.1)
    with pytest.raises(UpstreamRefused):
        await keys.key(JWKS_URI, "k1")


def http_answering(handler: httpx.MockTransport, **changes: object) -> UpstreamHttp:
    return UpstreamHttp(config(**changes), handler)


@pytest.mark.parametrize(
    ("response", "why"),
    [
        (httpx.Response(200, content=b"x" * 10_000, headers={"content-type": "application/json"}),
         "over 4096 bytes"),
        (httpx.Response(503, json={"error": "temporarily_unavailable"}), "HTTP 503"),
        (httpx.Response(302, headers={"location": "https://elsewhere.example/"}), "HTTP 302"),
        (httpx.Response(200, text="<html>login</html>", headers={"content-type": "text/html"}),
         "text/html"),
    ],
    ids=["too-large", "down", "redirect", "not-json"],
)  # fmt: skip
async def test_answers_that_are_not_the_protocol(response: httpx.Response, why: str) -> None:
    http = http_answering(httpx.MockTransport(lambda request: response), max_response_bytes=4096)
    with pytest.raises(UpstreamUnavailable, match=why):
        await http.get("https://op.example/x")
    await http.aclose()


async def test_an_answer_that_takes_too_long() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(1)
        return httpx.Response(200, json={})

    http = http_answering(httpx.MockTransport(slow), timeout_seconds=0.1)
    with pytest.raises(UpstreamUnavailable, match="no answer within"):
        await http.get("https://op.example/x")
    await http.aclose()


async def test_an_upstream_that_cannot_be_reached() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    http = http_answering(httpx.MockTransport(refuse))
    with pytest.raises(UpstreamUnavailable, match="ConnectError"):
        await http.get("https://op.example/x")
    await http.aclose()


def test_basic_credentials_are_form_encoded_first() -> None:
    """RFC 6749 2.3.1: `client_id:secret` with each part form-encoded, then base64."""
    import base64

    header = basic_authorization("my client", "s:e/c")
    assert base64.b64decode(header.removeprefix("Basic ")).decode() == "my%20client:s%3Ae%2Fc"
