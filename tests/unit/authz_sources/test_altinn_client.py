"""The Altinn HTTP client turns every untrustworthy answer into SourceUnavailable.

Exact answers are shaped by handlers behind a real loopback server
(`tests.support.handler_server`); the integration tests run the same paths against the
mock Altinn.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import msgspec
import pytest

from authz_sources import SourceUnavailable
from authz_sources.altinn.client import AltinnClient
from authz_sources.altinn.settings import AltinnSettings
from authz_sources.altinn.titles import TitleCache
from tests.support.altinn_paths import INCLUDE_FLAGS
from tests.support.handler_server import Handler, serving
from tests.support.servers import free_port

PID = "01817512345"
Make = Callable[..., AltinnClient]


def party(orgno: str, subunits: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "partyUuid": f"u{orgno}",
        "partyId": 1,
        "name": "X AS",
        "type": "Organization",
        "organizationNumber": orgno,
        "subunits": subunits or [],
        "someFieldAltinnAddsLater": {"ignored": True},
    }


@contextlib.contextmanager
def clients() -> Iterator[tuple[Make, list[AltinnClient]]]:
    """Builds clients of servers answering with a handler; the servers stop at the end."""
    made: list[AltinnClient] = []
    with contextlib.ExitStack() as servers:

        def build(handler: Handler, **settings: Any) -> AltinnClient:
            url = servers.enter_context(serving(handler))
            made.append(AltinnClient(AltinnSettings(**{"base_url": url, **settings})))
            return made[-1]

        yield build, made


@pytest.fixture
async def make() -> AsyncIterator[Make]:
    with clients() as (build, made):
        yield build
        for client in made:
            await client.aclose()


async def parties_from(handler: Handler, **settings: Any) -> list[Any]:
    with clients() as (build, _):
        client = build(handler, **settings)
        try:
            return await client.authorized_parties(PID, ("res",))
        finally:
            await client.aclose()


async def test_sends_subject_and_credentials() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[party("310000001")])

    parties = await parties_from(handler, bearer_token="tok", subscription_key="key")
    assert [p.organization_number for p in parties] == ["310000001"]
    (request,) = seen
    assert request.url.path == "/accessmanagement/api/v1/resourceowner/authorizedparties"
    assert request.url.params.get_list("anyOfResourceIds") == ["res"]
    for flag in INCLUDE_FLAGS:
        assert request.url.params[flag] == "true", flag
    assert request.headers["authorization"] == "Bearer tok"
    assert request.headers["ocp-apim-subscription-key"] == "key"
    assert msgspec.json.decode(request.content) == {
        "type": "urn:altinn:person:identifier-no",
        "value": PID,
    }


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(500, text="oops"), "HTTP 500"),
        (httpx.Response(401), "HTTP 401"),
        (httpx.Response(404, json=[]), "HTTP 404"),
        (httpx.Response(200, text="<html>"), "malformed answer"),
        (httpx.Response(200, json={"not": "a list"}), "malformed answer"),
        (httpx.Response(200, json=[{**party("310000001"), "isDeleted": "no"}]), "isDeleted"),
        (httpx.Response(200, json=[party("31000000")]), "organizationNumber"),
        (httpx.Response(200, json=[{"name": "X"}]), "malformed answer"),
        (httpx.Response(200, json=[party("310000001"), party("310000002")]), "more than 1"),
        (httpx.Response(200, content=b"[" + b" " * 2000 + b"]"), "larger than 1000 bytes"),
    ],
)
async def test_untrustworthy_answers_are_unavailable(
    response: httpx.Response, message: str
) -> None:
    with pytest.raises(SourceUnavailable) as caught:
        await parties_from(lambda _: response, max_parties=1, max_response_bytes=1000)
    assert message in str(caught.value)
    assert PID not in str(caught.value)


async def test_oversized_stream_without_length_is_cut_off() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"["
        for _ in range(100):
            yield b" " * 100
        yield b"]"

    with pytest.raises(SourceUnavailable, match="larger than 1000 bytes"):
        await parties_from(lambda _: httpx.Response(200, content=chunks()), max_response_bytes=1000)


async def test_sub_units_count_towards_max_parties() -> None:
    answer = [party("310000001", [party("310000002")])]
    with pytest.raises(SourceUnavailable, match="more than 1 parties"):
        await parties_from(lambda _: httpx.Response(200, json=answer), max_parties=1)


async def test_a_slow_register_is_unavailable() -> None:
    def slow(_: httpx.Request) -> httpx.Response:
        time.sleep(0.6)
        return httpx.Response(200, json=[])

    with pytest.raises(SourceUnavailable, match=r"authorized parties did not answer within 0\.2 s"):
        await parties_from(slow, timeout_ms=200)


async def test_nobody_listening_is_unavailable() -> None:
    client = AltinnClient(AltinnSettings(base_url=f"http://127.0.0.1:{free_port()}"))
    with pytest.raises(
        SourceUnavailable, match="authorized parties could not be reached"
    ) as caught:
        await client.authorized_parties(PID, ("res",))
    assert PID not in str(caught.value)
    await client.aclose()


def reportee(orgno: str) -> dict[str, Any]:
    return {"Name": "R", "Type": "Enterprise", "OrganizationNumber": orgno, "Status": "Active"}


async def test_reportees_are_read_page_by_page(make: Make) -> None:
    everyone = [reportee(f"31000000{i}") for i in range(5)]
    skips: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["apikey"] == "k2"
        assert request.headers["accept"] == "application/hal+json"
        top, skip = int(request.url.params["$top"]), int(request.url.params["$skip"])
        skips.append(str(skip))
        page = everyone[skip : skip + top]
        return httpx.Response(200, json={"_links": {}, "_embedded": {"reportees": page}})

    client = make(handler, altinn2_api_key="k2")
    client.page_size = 2
    pages = await client.reportees(PID, "2480", 40)
    assert sum(len(p.embedded.reportees) for p in pages) == 5
    assert skips == ["0", "2", "4"]


async def test_reportees_beyond_max_parties_are_unavailable(make: Make) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = {"reportees": [reportee("310000001")] * 2}
        return httpx.Response(200, json={"_links": {}, "_embedded": page})

    client = make(handler, max_parties=3)
    client.page_size = 2
    with pytest.raises(SourceUnavailable, match="more than 3"):
        await client.reportees(PID, "2480", 40)


async def test_rights_keep_only_the_asked_service_once(make: Make) -> None:
    rights = [
        {"Action": "Read", "ServiceCode": "2480", "ServiceEditionCode": 40},
        {"Action": "Read", "ServiceCode": "2480", "ServiceEditionCode": 40},
        {"Action": "Write", "ServiceCode": "9999", "ServiceEditionCode": 1},
        {"Action": "ArchiveRead", "ServiceCode": "2480", "ServiceEditionCode": 40},
    ]
    client = make(lambda _: httpx.Response(200, json={"Rights": rights}))
    assert await client.rights(PID, "310000001", "2480", 40) == ["Read", "ArchiveRead"]


async def test_health_needs_a_2xx(make: Make) -> None:
    ok = make(lambda r: httpx.Response(204 if r.url.path == "/ready" else 404), health_path="ready")
    await ok.health()
    with pytest.raises(SourceUnavailable, match="HTTP 503"):
        await make(lambda _: httpx.Response(503)).health()


async def test_client_can_be_closed_twice_and_reopened(make: Make) -> None:
    client = make(lambda _: httpx.Response(200, json=[]))
    assert await client.authorized_parties(PID, ("res",)) == []
    await client.aclose()
    await client.aclose()
    assert await client.authorized_parties(PID, ("res",)) == []
    await client.aclose()


def titled(make: Make, calls: list[str]) -> AltinnClient:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        title = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
        if request.url.path.endswith("/partial"):
            title = {"en": "Only English"}
        if request.url.path.endswith("/untitled"):
            title = {}
        return httpx.Response(200, json={"identifier": "x", "title": title})

    return make(handler)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("nb", "Bokmål"),
        ("nn", "Nynorsk"),
        ("en", "English"),
        ("se", "Bokmål"),
        ("nn-NO", "Nynorsk"),
    ],
)
async def test_titles_follow_the_locale(make: Make, locale: str, expected: str) -> None:
    assert await TitleCache(titled(make, []), 60).title("res", locale) == expected


async def test_titles_fall_back_to_any_language_and_need_one(make: Make) -> None:
    cache = TitleCache(titled(make, []), 60)
    assert await cache.title("partial", "nb") == "Only English"
    with pytest.raises(SourceUnavailable, match="no title"):
        await cache.title("untitled", "nb")


async def test_titles_are_cached_for_their_lifetime(make: Make) -> None:
    calls: list[str] = []
    cache = TitleCache(titled(make, calls), 60)
    await cache.title("res", "nb")
    await cache.title("res", "en")
    assert calls == ["/resourceregistry/api/v1/resource/res"]
    uncached = TitleCache(titled(make, calls), 0)
    await uncached.title("res", "nb")
    await uncached.title("res", "nb")
    assert len(calls) == 3


def test_a_new_event_loop_gets_a_new_pool(caplog: pytest.LogCaptureFixture) -> None:
    # the server closes each connection, so the first loop leaves no socket behind
    answer = httpx.Response(200, json=[], headers={"connection": "close"})
    with clients() as (build, _):
        client = build(lambda _: answer)

        async def use() -> object:
            await client.authorized_parties(PID, ("res",))
            return client.http._session

        first = asyncio.run(use())
        second = asyncio.run(use())
        asyncio.run(client.aclose())
    assert first is not second
    assert "new event loop" in caplog.text
