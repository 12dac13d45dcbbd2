"""Settings, the answer contract and grant, against answers shaped by a handler behind a
real loopback server."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import msgspec
import pytest

from authz_sources import AuthzSource, Party, SourceUnavailable, Subject
from authz_sources.http_register import (
    HttpRegisterSettings,
    HttpRegisterSource,
    HttpRegisterSourceFactory,
)
from authz_sources.http_register.wire import ANSWER_DECODER
from tests.support.handler_server import Handler, serving

SUBJECT = Subject(pid="14838010041", client_id="c")
TYPE = "myagency:role"


def party(orgno: str, **extra: Any) -> dict[str, Any]:
    return {"id": f"0192:{orgno}", "name": f"ORG {orgno}", **extra}


@contextlib.asynccontextmanager
async def source(handler: Handler, **settings: Any) -> AsyncIterator[HttpRegisterSource]:
    """A source whose register (under `/api`) answers with `handler`; closed after."""
    with serving(handler) as url:
        config = HttpRegisterSettings(
            types=(TYPE,), base_url=f"{url}/api", fields={"role": "string"}, **settings
        )
        register = HttpRegisterSource("agency", config)
        try:
            yield register
        finally:
            await register.aclose()


def answering(*parties: dict[str, Any]) -> Handler:
    return lambda _: httpx.Response(200, json={"parties": list(parties)})


def test_factory_builds_a_conforming_source() -> None:
    settings = HttpRegisterSettings(types=(TYPE,), base_url="http://x")
    built = HttpRegisterSourceFactory.create("agency", settings)
    assert isinstance(built, AuthzSource)
    assert (built.name, built.types, built.answers_about) == ("agency", (TYPE,), "organisations")
    assert built.timeout_seconds == 0.8
    with pytest.raises(TypeError):
        HttpRegisterSourceFactory.create("agency", msgspec.Struct())


@pytest.mark.parametrize(
    "settings",
    [
        {"types": [], "base_url": "http://x"},
        {"types": ["a b"], "base_url": "http://x"},
        {"types": ["t", "t"], "base_url": "http://x"},
        {"types": ["t"], "base_url": "x"},
        {"types": ["t"], "base_url": "http://x", "timeout_ms": -1},
        {"types": ["t"], "base_url": "http://x", "max_parties": 0},
        {"types": ["t"], "base_url": "http://x", "max_bytes": 100},
        {"types": ["t"], "base_url": "http://x", "max_detail_bytes": 10},
        {"types": ["t"], "base_url": "http://x", "max_connections": 0},
        {"types": ["t"], "base_url": "http://x", "bearer_token": "wrong key"},
        {"types": ["t"], "base_url": "http://x", "fields": {"role": "text"}},
        {"types": ["t"], "base_url": "http://x", "fields": {"type": "string"}},
        {"types": ["t"], "base_url": "http://x", "fields": {"representation_is_required": "any"}},
        {"types": ["t"], "base_url": "http://x", "fields": {"a b": "string"}},
        {"types": ["t"], "base_url": "http://x", "required_fields": ["role"]},
    ],
)
def test_bad_settings(settings: dict[str, Any]) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(settings, HttpRegisterSettings)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({}, "missing required field `parties`"),
        ({"parties": None}, "Expected `array`"),
        ({"parties": [], "next": None}, "unknown field `next`"),
        ({"parties": [party("12345678")]}, "9-digit"),
        ({"parties": [party("1234567890")]}, "9-digit"),
        ({"parties": [{"id": "0193:123456789", "name": "X"}]}, "9-digit"),
        ({"parties": [{"id": "0192:123456789\n", "name": "X"}]}, "9-digit"),
        ({"parties": [party("123456789", parent_id="123456789")]}, "parent_id"),
        ({"parties": [{"id": "0192:123456789"}]}, "missing required field `name`"),
        ({"parties": [{"id": "0192:123456789", "name": ""}]}, "length >= 1"),
        ({"parties": [party("123456789", rights="read")]}, "Expected `array`"),
        ({"parties": [party("123456789", rights=[""])]}, "length >= 1"),
        ({"parties": [party("123456789", rights=["r"] * 101)]}, "length <= 100"),
        ({"parties": [party("123456789", unit_type="X" * 21)]}, "length <= 20"),
        ({"parties": [party("123456789", is_deleted="no")]}, "Expected `bool`"),
        ({"parties": [party("123456789"), party("123456789")]}, "same id twice"),
    ],
)
def test_the_answer_contract_is_strict(answer: dict[str, Any], message: str) -> None:
    with pytest.raises(msgspec.ValidationError, match=message):
        ANSWER_DECODER.decode(json.dumps(answer))


async def test_request_url_and_body() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"parties": []})

    raw = {"type": TYPE, "role": "x"}
    async with source(handler, token="secret") as register:
        assert await register.find_parties(SUBJECT, register.parse_detail(raw)) == []
    assert seen[0].method == "POST"
    assert seen[0].url.path == "/api/parties"
    assert not seen[0].url.query
    assert json.loads(seen[0].content) == {
        "type": TYPE,
        "client_id": "c",
        "subject": {"pid": "14838010041"},
        "detail": raw,
    }
    assert seen[0].headers["authorization"] == "Bearer secret"
    assert seen[0].headers["ansattporten-register-contract"] == "1.1"


async def test_grant_intersects_with_the_fresh_answer() -> None:
    async with source(answering(party("311000001", rights=["r"]), party("311000002"))) as register:
        await _grant_intersects(register)


async def _grant_intersects(register: HttpRegisterSource) -> None:
    detail = register.parse_detail({"type": TYPE})
    chosen = [Party(orgno="311000002", name="stale"), Party(orgno="311000002", name="again")]
    granted = await register.grant(SUBJECT, detail, chosen)
    assert granted == {
        "type": TYPE,
        "authorized_parties": [
            {
                "orgno": {"authority": "iso6523-actorid-upis", "ID": "0192:311000002"},
                "name": "ORG 311000002",
                "unit_type": "",
                "rights": [],
            }
        ],
    }
    assert await register.grant(SUBJECT, detail, [Party(orgno="999999999", name="")]) is None


async def test_a_party_gone_from_the_register_is_not_granted() -> None:
    async with source(answering()) as register:
        detail = register.parse_detail({"type": TYPE})
        assert await register.grant(SUBJECT, detail, [Party(orgno="311000001", name="")]) is None


async def test_grant_for_oneself_does_not_call_the_register() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no call expected")

    async with source(handler) as register:
        detail = register.parse_detail({"type": TYPE, "role": "x"})
        assert await register.grant(SUBJECT, detail, []) == {"type": TYPE}


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (lambda _: httpx.Response(500), "HTTP 500"),
        (lambda _: httpx.Response(204), "HTTP 204"),
        (lambda _: httpx.Response(200, text="ok"), "not JSON"),
        (lambda _: httpx.Response(200, json={"parties": [party("1")]}), "malformed"),
        (answering(*[party(f"31100000{i}") for i in range(4)]), "more than 3 parties"),
        (
            lambda _: httpx.Response(200, json={"parties": [party("311000001", pad="x" * 5000)]}),
            "larger than",
        ),
    ],
)
async def test_untrustworthy_answers_fail_closed(handler: Handler, message: str) -> None:
    async with source(handler, max_parties=3, max_bytes=4096) as register:
        with pytest.raises(SourceUnavailable, match=message) as caught:
            await register.find_parties(SUBJECT, register.parse_detail({"type": TYPE}))
    assert SUBJECT.pid not in str(caught.value)


async def test_health_needs_a_2xx() -> None:
    async with source(lambda r: httpx.Response(200 if r.url.path == "/api/health" else 500)) as ok:
        await ok.check_health()
    async with source(lambda _: httpx.Response(404)) as missing:
        with pytest.raises(SourceUnavailable, match="HTTP 404"):
            await missing.check_health()


async def test_contract_1_1_sends_only_the_identifiers_the_register_declared() -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json={"parties": []})

    person = Subject(
        client_id="c",
        pid="14838010041",
        eidas_person_identifier="SE/NO/1959",
        email="a@b.example",
        entra_tid="t",
        entra_oid="o",
        groups=("g1",),
    )
    async with source(handler, identifiers=("email", "entra_oid", "groups")) as register:
        assert register.identifiers == ("email", "entra_oid", "groups")
        await register.find_parties(person, register.parse_detail({"type": TYPE}))
    assert seen[0]["subject"] == {
        "email": "a@b.example",
        "entra_tid": "t",
        "entra_oid": "o",
        "groups": ["g1"],
    }


async def test_a_version_1_register_knows_people_by_number_only() -> None:
    async with source(lambda _: httpx.Response(200, json={"parties": []})) as register:
        assert register.identifiers == ("pid",)
    with pytest.raises(ValueError, match="identifiers must be among"):
        HttpRegisterSettings(types=(TYPE,), base_url="http://x", identifiers=("passport",))
