"""The HPR source against the mock HPR over loopback HTTP, for every demo person."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from authz_sources import AuthzSource, NotEligible, Party, SourceUnavailable, Subject
from authz_sources.hpr.mock import DEMO_FIXTURE, create_mock_app
from authz_sources.registry import create_sources
from tests.support.servers import free_port, serve_in_thread

PEOPLE: dict[str, dict[str, str]] = json.loads(
    (Path(__file__).parents[2] / "fixtures" / "hpr_people.json").read_text(encoding="utf-8")
)
TYPE = "ansattporten:hpr"
TOKEN = "maskinporten-token"

Make = Callable[..., AuthzSource]


def subject(role: str, locale: str = "nb") -> Subject:
    return Subject(pid=PEOPLE[role]["pid"], client_id="test-client", locale=locale)


@pytest.fixture(scope="module")
def hpr_url() -> Iterator[str]:
    with serve_in_thread(create_mock_app(DEMO_FIXTURE, bearer_token=TOKEN)) as base_url:
        yield base_url


@pytest.fixture
async def make(hpr_url: str) -> AsyncIterator[Make]:
    """Builds sources through the registry, as the provider does, and closes them."""
    made: list[AuthzSource] = []

    def build(**settings: Any) -> AuthzSource:
        table = {"base_url": hpr_url, "bearer_token": TOKEN, **settings}
        [source] = create_sources({"hpr": table})
        made.append(source)
        return source

    yield build
    for source in made:
        await source.aclose()


async def grant(source: AuthzSource, role: str, **request: Any) -> dict[str, Any] | None:
    detail = source.parse_detail({"type": TYPE, **request})
    return await source.grant(subject(role), detail, [])


async def test_source_shape(make: Make) -> None:
    source = make()
    assert source.types == (TYPE,)
    assert source.answers_about == "person"
    assert source.timeout_seconds == 2.0
    detail = source.parse_detail({"type": TYPE})
    assert await source.find_parties(subject("doctor"), detail) == []


async def test_doctor(make: Make) -> None:
    assert await grant(make(), "doctor") == {
        "type": TYPE,
        "hpr_number": "991000011",
        "approvals": [
            {
                "profession": "LE",
                "authorization": {"value": "1", "description": "Autorisasjon"},
                "valid_from": "2006-06-01",
                "valid_to": "2060-03-14",
                "requisition_rights": [{"value": "1", "description": "Full rekvisisjonsrett"}],
                # the expired speciality (Indremedisin, to 2019) is left out
                "specialities": [{"value": "1", "description": "Allmennmedisin"}],
            }
        ],
    }


async def test_nurse(make: Make) -> None:
    granted = await grant(make(), "nurse", approval_is_required="true")
    assert granted is not None
    assert granted["hpr_number"] == "991000022"
    assert [a["profession"] for a in granted["approvals"]] == ["SP"]
    assert granted["approvals"][0]["requisition_rights"] == []


async def test_two_approvals_and_the_professions_filter(make: Make) -> None:
    source = make()
    both = await grant(source, "two_approvals")
    assert both is not None
    assert [a["profession"] for a in both["approvals"]] == ["SP", "LE"]
    only_doctor = await grant(source, "two_approvals", professions=["LE"])
    assert only_doctor is not None
    assert [a["profession"] for a in only_doctor["approvals"]] == ["LE"]
    assert await grant(source, "two_approvals", professions=["PS"]) == {"type": TYPE}


@pytest.mark.parametrize("role", ["expired", "suspended", "absent"])
async def test_no_valid_approval_gives_type_only(make: Make, role: str) -> None:
    assert await grant(make(), role) == {"type": TYPE}


@pytest.mark.parametrize("role", ["expired", "suspended", "absent"])
async def test_no_valid_approval_is_refused_when_required(make: Make, role: str) -> None:
    with pytest.raises(NotEligible, match="Helsepersonellregisteret"):
        await grant(make(), role, approval_is_required=True)


async def test_refusal_names_the_professions_in_the_persons_language(make: Make) -> None:
    source = make()
    detail = source.parse_detail(
        {"type": TYPE, "professions": ["LE"], "approval_is_required": "true"}
    )
    with pytest.raises(NotEligible, match="no valid approval for you as Lege") as caught:
        await source.grant(subject("nurse", locale="en"), detail, [])
    assert PEOPLE["nurse"]["pid"] not in str(caught.value)


async def test_chosen_parties_are_ignored(make: Make) -> None:
    source = make()
    detail = source.parse_detail({"type": TYPE})
    granted = await source.grant(subject("nurse"), detail, [Party(orgno="311000001", name="X")])
    assert granted is not None
    assert granted["hpr_number"] == "991000022"


async def test_wrong_token_fails_closed(make: Make) -> None:
    with pytest.raises(SourceUnavailable, match="HTTP 401"):
        await grant(make(bearer_token="wrong"), "doctor")


async def test_slow_register_fails_closed_within_the_deadline() -> None:
    with serve_in_thread(create_mock_app(DEMO_FIXTURE, delay_ms=1000)) as slow_url:
        [source] = create_sources({"hpr": {"base_url": slow_url, "timeout_ms": 200}})
        try:
            started = time.monotonic()
            with pytest.raises(SourceUnavailable, match="did not answer"):
                await grant(source, "doctor")
            assert time.monotonic() - started < 0.8
        finally:
            await source.aclose()


async def test_health(make: Make) -> None:
    await make().check_health()
    [gone] = create_sources({"hpr": {"base_url": f"http://127.0.0.1:{free_port()}"}})
    try:
        with pytest.raises(SourceUnavailable, match="could not be reached"):
            await gone.check_health()
        with pytest.raises(SourceUnavailable, match="could not be reached"):
            await grant(gone, "doctor")
    finally:
        await gone.aclose()


def test_mock_speaks_the_rest_shape(hpr_url: str) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    url = f"{hpr_url}/v1/personerutvidet"
    with httpx.Client(headers=auth) as client:
        found = client.post(url, json={"nin": PEOPLE["doctor"]["pid"], "atDate": "2030-01-02"})
        assert found.status_code == 200
        record = found.json()
        assert record["hprNummer"] == 991000011
        assert record["gjelderForDato"] == "2030-01-02"
        assert record["godkjenninger"][0]["helsepersonellkategori"]["verdi"] == "LE"
        assert record["person"]["fødselsdato"] == "1980-03-14"
        assert client.post(url, json={"nin": PEOPLE["absent"]["pid"]}).status_code == 404
        for bad in [b"{", b"[]", b'{"nin": 1}', b'{"nin": "123"}', b'{"nin": "x", "z": 1}']:
            answer = client.post(url, content=bad, headers={"Content-Type": "application/json"})
            assert answer.status_code == 400, bad
        bad_date = {"nin": PEOPLE["doctor"]["pid"], "atDate": "soon"}
        assert client.post(url, json=bad_date).status_code == 400
        assert (
            client.post(
                url, json={"nin": PEOPLE["doctor"]["pid"]}, headers={"Authorization": "Bearer nope"}
            ).status_code
            == 401
        )
