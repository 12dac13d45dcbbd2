"""The HTTP register source against a real register over loopback HTTP."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from authz_sources import AuthzSource, Party, SourceUnavailable, Subject
from authz_sources.registry import SourceConfigError, create_sources
from tests.integration.http_register.register_app import (
    MODES,
    RegisterApp,
    create_register_app,
    wire_party,
)
from tests.support.servers import free_port, serve_in_thread

PERSON = "14838010041"
STRANGER = "02898513850"
TOKEN = "agency-secret-token"
TYPE = "myagency:role"
SUBJECT = Subject(pid=PERSON, client_id="test-client")

MAIN = wire_party("311000001", "FJELL OG FJORD AS", "AS", rights=["inspector", "reader"])
BRANCH = wire_party(
    "311000002",
    "FJELL OG FJORD AS AVD BERGEN",
    "BEDR",
    parent_id="0192:311000001",
    rights=["reader"],
)
CLOSED = wire_party("311000003", "NEDLAGT AS", "AS", is_deleted=True, rights=["reader"])
TABLE = {PERSON: [MAIN, BRANCH, CLOSED]}

Make = Callable[..., AuthzSource]


@pytest.fixture(scope="module")
def register() -> Iterator[tuple[str, RegisterApp]]:
    state = create_register_app(TABLE, token=TOKEN)
    with serve_in_thread(state.app) as base_url:
        yield base_url, state


@pytest.fixture
async def make(register: tuple[str, RegisterApp]) -> AsyncIterator[Make]:
    """Builds sources through the registry, as the provider does, and closes them."""
    base_url, _ = register
    made: list[AuthzSource] = []

    def build(mode: str = "ok", **settings: Any) -> AuthzSource:
        table = {
            "kind": "http_register",
            "types": [TYPE],
            "base_url": f"{base_url}/{mode}",
            "token": TOKEN,
            "timeout_ms": 800,
            "fields": {"role": "string", "scope_hint": "array"},
            **settings,
        }
        [source] = create_sources({"agency": table})
        made.append(source)
        return source

    yield build
    for source in made:
        await source.aclose()


def orgnos(parties: list[Party]) -> list[str]:
    return [party.orgno for party in parties]


async def test_find_parties_sends_the_contract_and_maps_the_answer(
    make: Make, register: tuple[str, RegisterApp]
) -> None:
    source = make()
    raw = {"type": TYPE, "allow_multiple_organizations": "true", "scope_hint": [1, "a"]}
    parties = await source.find_parties(SUBJECT, source.parse_detail(raw))

    assert parties == [
        Party(
            orgno="311000001",
            name="FJELL OG FJORD AS",
            unit_type="AS",
            rights=("inspector", "reader"),
        ),
        Party(
            orgno="311000002",
            name="FJELL OG FJORD AS AVD BERGEN",
            unit_type="BEDR",
            parent_orgno="311000001",
            rights=("reader",),
        ),
    ]
    sent = register[1].requests[-1]
    assert sent["body"] == {
        "type": TYPE,
        "client_id": "test-client",
        "subject": {"pid": PERSON},
        "detail": raw,
    }
    assert sent["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert sent["headers"]["ansattporten-register-contract"] == "1.1"
    assert sent["headers"]["content-type"] == "application/json"


async def test_unknown_person_has_no_parties(make: Make) -> None:
    source = make()
    stranger = Subject(pid=STRANGER, client_id="test-client")
    assert await source.find_parties(stranger, source.parse_detail({"type": TYPE})) == []


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, ["311000001", "311000002"]),
        ({"allow_deleted_organizations": True}, ["311000001", "311000002", "311000003"]),
        ({"organizationform": "enterprise"}, ["311000001"]),
        ({"organizationform": "business"}, ["311000002"]),
        ({"role": "inspector"}, ["311000001"]),
    ],
)
async def test_shared_filters_and_agency_fields(
    make: Make, extra: dict[str, Any], expected: list[str]
) -> None:
    source = make()
    detail = source.parse_detail({"type": TYPE, **extra})
    assert orgnos(await source.find_parties(SUBJECT, detail)) == expected


async def test_grant_rechecks_and_echoes_the_agency_fields(make: Make) -> None:
    source = make()
    detail = source.parse_detail(
        {"type": TYPE, "role": "reader", "allow_multiple_organizations": True}
    )
    stale = Party(orgno="311000001", name="OLD NAME", rights=("everything",))
    branch = Party(orgno="311000002", name="whatever")

    granted = await source.grant(SUBJECT, detail, [stale, branch])

    assert granted == {
        "type": TYPE,
        "role": "reader",
        "authorized_parties": [
            {
                "orgno": {"authority": "iso6523-actorid-upis", "ID": "0192:311000001"},
                "name": "FJELL OG FJORD AS",
                "unit_type": "AS",
                "rights": ["inspector", "reader"],
            },
            {
                "orgno": {"authority": "iso6523-actorid-upis", "ID": "0192:311000002"},
                "name": "FJELL OG FJORD AS AVD BERGEN",
                "unit_type": "BEDR",
                "rights": ["reader"],
            },
        ],
    }


async def test_grant_keeps_only_confirmed_parties(make: Make) -> None:
    source = make()
    detail = source.parse_detail({"type": TYPE})
    unknown = Party(orgno="999999999", name="NOT OFFERED AS")
    closed = Party(orgno="311000003", name="NEDLAGT AS")  # deleted, not allowed here

    assert await source.grant(SUBJECT, detail, [unknown, closed]) is None
    granted = await source.grant(SUBJECT, detail, [unknown, Party(orgno="311000001", name="")])
    assert granted is not None
    assert [p["orgno"]["ID"] for p in granted["authorized_parties"]] == ["0192:311000001"]


async def test_grant_for_oneself_is_type_only(make: Make) -> None:
    source = make()
    detail = source.parse_detail({"type": TYPE, "role": "reader"})
    assert await source.grant(SUBJECT, detail, []) == {"type": TYPE}


async def test_two_registers_side_by_side(register: tuple[str, RegisterApp]) -> None:
    other_table = {PERSON: [wire_party("312000001", "ANDRE ETAT", "ORGL", rights=["case"])]}
    other = create_register_app(other_table, token="other-token")
    with serve_in_thread(other.app) as other_url:
        sources = create_sources(
            {
                "agency": {
                    "kind": "http_register",
                    "types": [TYPE],
                    "base_url": f"{register[0]}/ok",
                    "token": TOKEN,
                },
                "other_agency": {
                    "kind": "http_register",
                    "types": ["otheragency:case", "otheragency:archive"],
                    "base_url": f"{other_url}/ok",
                    "token": "other-token",
                    "timeout_ms": "500",
                },
            }
        )
        try:
            first, second = sources
            assert (first.name, second.name) == ("agency", "other_agency")
            assert second.types == ("otheragency:case", "otheragency:archive")
            assert second.timeout_seconds == 0.5
            mine = await first.find_parties(SUBJECT, first.parse_detail({"type": TYPE}))
            theirs = await second.find_parties(
                SUBJECT, second.parse_detail({"type": "otheragency:archive"})
            )
            assert orgnos(mine) == ["311000001", "311000002"]
            assert orgnos(theirs) == ["312000001"]
            assert other.requests[-1]["headers"]["authorization"] == "Bearer other-token"
        finally:
            for source in sources:
                await source.aclose()


def test_two_registers_cannot_share_a_type() -> None:
    block = {"kind": "http_register", "types": [TYPE], "base_url": "http://127.0.0.1:9"}
    with pytest.raises(SourceConfigError, match="both own"):
        create_sources({"a": block, "b": block})


def _chain(exc: BaseException | None) -> str:
    text = ""
    while exc is not None:
        text += f"{exc!r} {exc}\n"
        exc = exc.__cause__ or exc.__context__
    return text


@pytest.mark.parametrize("mode", [mode for mode in MODES if mode != "ok"])
async def test_every_fault_fails_closed(make: Make, mode: str) -> None:
    source = make(mode, max_bytes=4096, max_parties=3, timeout_ms=300)
    detail = source.parse_detail({"type": TYPE})
    started = time.monotonic()
    with pytest.raises(SourceUnavailable) as caught:
        await source.find_parties(SUBJECT, detail)
    assert time.monotonic() - started < 0.9  # the deadline holds, even for "slow"
    assert PERSON not in _chain(caught.value)
    with pytest.raises(SourceUnavailable):
        await source.grant(SUBJECT, detail, [Party(orgno="311000001", name="X")])


async def test_wrong_token_fails_closed(make: Make) -> None:
    source = make(token="not-the-token")
    with pytest.raises(SourceUnavailable, match="HTTP 401"):
        await source.find_parties(SUBJECT, source.parse_detail({"type": TYPE}))


async def test_health(make: Make) -> None:
    await make().check_health()
    with pytest.raises(SourceUnavailable, match="HTTP 503"):
        await make("status500").check_health()


async def test_unreachable_register_fails_closed() -> None:
    [source] = create_sources(
        {
            "gone": {
                "kind": "http_register",
                "types": [TYPE],
                "base_url": f"http://127.0.0.1:{free_port()}",
                "timeout_ms": 500,
            }
        }
    )
    try:
        with pytest.raises(SourceUnavailable, match="could not be reached"):
            await source.find_parties(SUBJECT, source.parse_detail({"type": TYPE}))
        with pytest.raises(SourceUnavailable):
            await source.check_health()
    finally:
        await source.aclose()
