"""A provider for the flows' unit tests: the flows called as functions, without HTTP,
on a real SQLite store, with one in-process source answering from a table."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from ansattporten.eid.testid import TestIdEid
from ansattporten.flows.context import Provider
from ansattporten.flows.keyring import KeyRing
from ansattporten.rar import Representation
from ansattporten.records import Client
from ansattporten.settings import Settings
from ansattporten.spec.rfc7636 import s256
from ansattporten.store import Store
from ansattporten.store.schema import metadata
from authz_sources import Party, RequestedDetail, Subject
from authz_sources.shared import (
    SHARED_FIELDS,
    SourceBase,
    apply_filters,
    check_fields,
    confirm,
    granted_object,
    required_string,
    shared_values,
)

TYPE = "test:table"
PERSON = "14838010041"  # synthetic: month + 80
STRANGER = "02898513850"
CLIENT_ID = "service"
REDIRECT_URI = "http://service.test/callback"
VERIFIER = "v" * 50
PARTIES = (
    Party(orgno="310000001", name="FJORD AS", unit_type="AS", rights=("x",)),
    Party(orgno="310000002", name="FJORD AS AVD NORD", unit_type="BEDR", rights=("x",)),
)


class TableDetail(RequestedDetail, frozen=True, kw_only=True):
    thing: str


class TableSource(SourceBase[TableDetail]):
    """Answers `test:table` from `PARTIES` for `PERSON`; counts what it is asked."""

    def __init__(self) -> None:
        super().__init__("table", {TYPE: TableDetail}, timeout_ms=1000)
        self.calls: list[str] = []

    def parse_detail(self, raw: Mapping[str, Any]) -> TableDetail:
        check_fields(raw, TYPE, SHARED_FIELDS | {"thing"})
        self.calls.append("parse_detail")
        return TableDetail(thing=required_string(raw, "thing"), **shared_values(raw))

    async def find_parties(self, subject: Subject, detail: TableDetail) -> list[Party]:
        assert isinstance(detail, TableDetail)  # its own class, never re-parsed
        self.calls.append("find_parties")
        return apply_filters(list(PARTIES) if subject.pid == PERSON else [], detail)

    async def grant(
        self, subject: Subject, detail: TableDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        self.calls.append("grant")
        if not chosen:
            return {"type": detail.type}
        current = await self.find_parties(subject, detail)
        return granted_object(detail, confirm(current, chosen), thing=detail.thing)


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def source() -> TableSource:
    return TableSource()


@pytest.fixture
async def provider(tmp_path: Path, source: TableSource) -> AsyncIterator[Provider]:
    path = tmp_path / "flows.db"
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    engine.dispose()
    representation = Representation([source])
    store = Store(f"sqlite:///{path}", representation.detail_types)
    await store.upsert_client(
        Client(
            client_id=CLIENT_ID,
            auth_method="none",
            redirect_uris=(REDIRECT_URI,),
            grant_types=("authorization_code",),
            client_name="Testtjeneste",
        )
    )
    keyring = KeyRing(store)
    clock = Clock()
    await keyring.load(clock.now)
    yield Provider(
        settings=Settings(issuer="https://op.test", database_url=f"sqlite:///{path}"),
        store=store,
        keyring=keyring,
        representation=representation,
        eids={"testid": TestIdEid()},
        pairwise_secret=b"pairwise",
        clock=clock,
    )
    await store.aclose()


def request_params(details: list[dict[str, Any]] | None = None, **changes: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid",
        "state": "state-1",
        "nonce": "nonce-1",
        "code_challenge": s256(VERIFIER),
        "code_challenge_method": "S256",
    }
    if details is not None:
        params["authorization_details"] = json.dumps(details)
    params.update(changes)
    return params


def detail(**fields: Any) -> dict[str, Any]:
    return {"type": TYPE, "thing": "permit", **fields}
