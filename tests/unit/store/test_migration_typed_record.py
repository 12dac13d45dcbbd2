"""Migration 0003 on a database that holds rows of the old shape: codes and grants keep
working with typed claims, a grant whose re-check data was stored unparsed is revoked
(fail closed), and logins in progress are ended."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from ansattporten.records import Person
from ansattporten.settings import async_database_url
from ansattporten.store import Store
from ansattporten.store.migrate import upgrade

PID = "14838010041"
OLD_CLAIMS = {
    "sub": "pairwise-sub",
    "pid": PID,
    "acr": "idporten-loa-substantial",
    "amr": ["TestID"],
    "auth_time": 1_800_000_000,
    "scope": "openid",
    "locale": "nb",
}


@pytest.fixture
async def old_database(any_database_url: str) -> str:
    """A database at revision 0002 with a login in progress, a code, and two grants: one
    without representation, one whose claims carry the request's details unparsed."""
    url = async_database_url(any_database_url)
    await asyncio.to_thread(upgrade, url, "0002")
    now = time.time()
    statements: list[tuple[str, dict[str, Any]]] = [
        (
            "INSERT INTO interactions (id, browser_hash, csrf_token, client_id, request, stage,"
            " created_at, expires_at, pid, lookup) VALUES ('i', 'b', 'c', 'svc', :request,"
            " 'choose', :now, :later, :pid, :lookup)",
            {
                "request": json.dumps({"authorization_details": [{"type": "t"}]}),
                "lookup": json.dumps({"parties": []}),
            },
        ),
        (
            "INSERT INTO authorization_codes (code_hash, client_id, grant_id, redirect_uri,"
            " code_challenge, claims, expires_at) VALUES ('h', 'svc', 'g1', 'http://svc/cb',"
            " 'x', :code_claims, :later)",
            {
                "code_claims": json.dumps(
                    {**OLD_CLAIMS, "nonce": "n", "authorization_details": [{"type": "t"}]}
                )
            },
        ),
        (
            "INSERT INTO grants (id, client_id, sub, authorization_details, created_at,"
            " expires_at, claims) VALUES ('g1', 'svc', 's', :details, :now, :later, :plain)",
            {"details": json.dumps([{"type": "t"}]), "plain": json.dumps(OLD_CLAIMS)},
        ),
        (
            "INSERT INTO grants (id, client_id, sub, authorization_details, created_at,"
            " expires_at, claims) VALUES ('g2', 'svc', 's', :details, :now, :later, :with)",
            {
                "details": json.dumps([{"type": "t"}]),
                "with": json.dumps({**OLD_CLAIMS, "requested": [{"type": "t"}], "chosen": ["1"]}),
            },
        ),
    ]
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            for text, values in statements:
                await connection.execute(
                    sa.text(text), {"now": now, "later": now + 3600, "pid": PID, **values}
                )
    finally:
        await engine.dispose()
    return url


async def test_old_rows_read_back_typed_after_the_migration(old_database: str) -> None:
    await asyncio.to_thread(upgrade, old_database)
    store = Store(old_database)
    try:
        assert await store.load_login("i") is None  # a login in progress was ended
        code = await store.find_code("h")
        plain = await store.get_grant("g1")
        unparsed = await store.get_grant("g2")
    finally:
        await store.aclose()

    assert code is not None
    assert code.claims.person == Person(pid=PID)
    assert (code.claims.nonce, code.claims.amr) == ("n", ("TestID",))
    assert code.claims.authorization_details == [{"type": "t"}]
    assert plain is not None
    assert plain.claims.person == Person(pid=PID)
    assert plain.claims.sub == "pairwise-sub"
    assert (plain.revoked_at, plain.choice) == (None, None)
    assert unparsed is not None
    assert unparsed.revoked_at is not None  # fail closed: it cannot be re-checked
