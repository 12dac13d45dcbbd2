"""A register that is down, slow, or answers nonsense fails the call closed."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest

from authz_sources import Party, SourceUnavailable, Subject
from authz_sources.altinn import AltinnSource
from tests.integration.altinn.altinn_support import BROKEN_ANSWERS, Demo

RESOURCE = {
    "type": "ansattporten:altinn:resource",
    "resource": "urn:altinn:resource:app_ttd_apps-test",
}
SERVICE = {"type": "ansattporten:altinn:service", "resource": "urn:altinn:resource:2480:40"}


def who(demo: Demo, role: str = "main_with_subunits") -> Subject:
    return Subject(pid=demo.pid(role), client_id="integration")


async def all_calls_fail(source: AltinnSource, demo: Demo, raw: dict[str, Any]) -> None:
    detail = source.parse_detail(raw)
    chosen = [Party(orgno=demo.holders("main_with_subunits", "app_ttd_apps-test")[0], name="X")]
    with pytest.raises(SourceUnavailable):
        await source.find_parties(who(demo), detail)
    with pytest.raises(SourceUnavailable):
        await source.grant(who(demo), detail, chosen)


@pytest.mark.parametrize("raw", [RESOURCE, SERVICE])
async def test_register_down(
    make_source: Any, closed_url: str, demo: Demo, raw: dict[str, Any]
) -> None:
    source = make_source(base_url=closed_url)
    await all_calls_fail(source, demo, raw)
    with pytest.raises(SourceUnavailable):
        await source.check_health()


@pytest.mark.parametrize("raw", [RESOURCE, SERVICE])
async def test_slow_register_is_cut_off_at_the_deadline(
    make_source: Any, slow_altinn_url: str, demo: Demo, raw: dict[str, Any]
) -> None:
    source = make_source(base_url=slow_altinn_url, timeout_ms=250)
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match=r"did not answer within 0\.25 s"):
        await source.find_parties(who(demo), source.parse_detail(raw))
    assert time.monotonic() - started < 0.7
    with pytest.raises(SourceUnavailable):
        await source.check_health()


async def test_slow_register_within_the_deadline_answers(
    make_source: Any, slow_altinn_url: str, demo: Demo
) -> None:
    source = make_source(base_url=slow_altinn_url, timeout_ms=5000)
    parties = await source.find_parties(who(demo), source.parse_detail(RESOURCE))
    assert len(parties) == 4


@pytest.mark.parametrize("mode", sorted(BROKEN_ANSWERS))
@pytest.mark.parametrize("raw", [RESOURCE, SERVICE])
async def test_malformed_answers(
    make_source: Any, broken_url: str, demo: Demo, mode: str, raw: dict[str, Any]
) -> None:
    source = make_source(base_url=f"{broken_url}/{mode}", max_response_bytes=10_000)
    await all_calls_fail(source, demo, raw)


async def test_wrong_token_is_unavailable(make_source: Any, demo: Demo) -> None:
    source = make_source(bearer_token="not-the-token")
    with pytest.raises(SourceUnavailable, match="HTTP 401"):
        await source.find_parties(who(demo), source.parse_detail(RESOURCE))


async def test_too_many_parties_is_unavailable_not_truncated(make_source: Any, demo: Demo) -> None:
    source = make_source(max_parties=50)
    for raw in (RESOURCE, SERVICE):
        with pytest.raises(SourceUnavailable, match="more than 50"):
            await source.find_parties(who(demo, "accountant"), source.parse_detail(raw))
    assert len(await source.find_parties(who(demo), source.parse_detail(RESOURCE))) == 4


async def test_resource_registry_down_fails_the_grant_only(
    make_source: Any, closed_url: str, demo: Demo
) -> None:
    source = make_source(resource_registry_url=closed_url)
    detail = source.parse_detail(RESOURCE)
    parties = await source.find_parties(who(demo), detail)
    with pytest.raises(SourceUnavailable, match="resource registry"):
        await source.grant(who(demo), detail, parties[:1])


async def test_unknown_resource_in_registry_fails_closed(
    make_source: Any, broken_url: str, demo: Demo
) -> None:
    source = make_source(resource_registry_url=f"{broken_url}/forbidden")
    detail = source.parse_detail(RESOURCE)
    parties = await source.find_parties(who(demo), detail)
    with pytest.raises(SourceUnavailable, match="HTTP 403"):
        await source.grant(who(demo), detail, parties[:1])


async def test_the_person_number_is_never_logged(
    make_source: Any, closed_url: str, demo: Demo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # A provider started earlier in the session quiets some loggers to WARNING; this
    # test wants every line anyone logs, so it asks for the HTTP clients' explicitly.
    for name in ("aiohttp", "httpx"):
        caplog.set_level(logging.DEBUG, logger=name)
    pid = demo.pid("main_with_subunits")
    working = make_source()
    for raw in (RESOURCE, SERVICE):
        detail = working.parse_detail(raw)
        parties = await working.find_parties(who(demo), detail)
        await working.grant(who(demo), detail, parties[:1])
    broken = make_source(base_url=closed_url)
    with pytest.raises(SourceUnavailable) as caught:
        await broken.find_parties(who(demo), broken.parse_detail(SERVICE))
    assert pid not in str(caught.value)
    assert pid not in caplog.text


async def test_health_of_a_working_register(source: AltinnSource) -> None:
    await source.check_health()
