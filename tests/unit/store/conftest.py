"""A SQLite file with the schema, for the SQLite runner's tests; a migrated store on
SQLite and on PostgreSQL; and records to store. (The PostgreSQL runner's tests make
their own table.)"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from ansattporten.records import (
    AuditRecord,
    Authentication,
    AuthorizationRequest,
    BrowserSession,
    ClientSession,
    Code,
    Grant,
    GrantClaims,
    Login,
    Person,
    SessionOpening,
    TokenClaims,
)
from ansattporten.settings import async_database_url
from ansattporten.store import Store
from ansattporten.store.migrate import upgrade
from ansattporten.store.schema import metadata

PERSON = "24817998887"  # synthetic: month + 80


@pytest.fixture
async def store(any_database_url: str) -> AsyncIterator[Store]:
    """A store on a database migrated to the newest schema, once per database kind."""
    url = async_database_url(any_database_url)
    await asyncio.to_thread(upgrade, url)
    opened = Store(url)
    yield opened
    await opened.aclose()


@pytest.fixture
def sqlite_file(tmp_path: Path) -> str:
    path = str(tmp_path / "store.db")
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    engine.dispose()
    return path


def login(login_id: str, *, stage: str = "choose") -> Login:
    now = time.time()
    return Login(
        id=login_id,
        client_id="service",
        browser_hash="b" * 64,
        csrf_token="c" * 43,
        stage=stage,  # type: ignore[arg-type]
        created_at=now,
        expires_at=now + 600,
        request=AuthorizationRequest(
            client_id="service",
            redirect_uri="http://service.test/callback",
            response_mode="query",
            scope=("openid",),
            state="s",
            nonce="n",
            code_challenge="x" * 43,
            prompt=(),
            max_age=None,
            acr_values=("idporten-loa-substantial",),
            locale="nb",
        ),
        authentication=authentication() if stage != "login" else None,
    )


def authentication() -> Authentication:
    return Authentication(
        person=Person(pid=PERSON),
        eid="testid",
        acr="idporten-loa-substantial",
        amr=("TestID",),
        auth_time=int(time.time()),
    )


def opening(
    tag: str,
    *,
    client_id: str = "service",
    continues: BrowserSession | None = None,
    person_hash: str = "p" * 43,
) -> SessionOpening:
    """What an authentication writes: a fresh browser session `bs-<tag>` (cookie hash
    `cookie-<tag>`), or `continues` under that hash, and a client session `sid-<tag>`."""
    now = time.time()
    fresh = BrowserSession(
        id=f"bs-{tag}",
        cookie_hash=f"cookie-{tag}",
        person_hash=person_hash,
        created_at=now,
        last_active_at=now,
        expires_at=now + 7200,
    )
    client = ClientSession(
        sid=f"sid-{tag}",
        browser_session_id=fresh.id,
        client_id=client_id,
        sub=f"sub-{tag}",
        authentication=authentication(),
        created_at=now,
        expires_at=fresh.expires_at,
    )
    return SessionOpening(fresh=fresh, continues=continues, client=client)


def finished(tag: str, *, code_hash: str | None = None) -> dict[str, object]:
    """What `finish_login` writes: a grant, its code and an audit record."""
    now = time.time()
    claims = GrantClaims(
        sub=f"sub-{tag}",
        person=Person(pid=PERSON),
        acr="idporten-loa-substantial",
        amr=("TestID",),
        auth_time=int(now),
        scope="openid",
        locale="nb",
    )
    details = [{"type": "ansattporten:altinn:service", "orgno": "1"}]
    grant = Grant(
        id=f"grant-{tag}",
        client_id="service",
        claims=claims,
        authorization_details=details,
        choice=None,
        created_at=now,
        expires_at=now + 3600,
    )
    code = Code(
        code_hash=code_hash or f"code-{tag}",
        client_id="service",
        grant_id=grant.id,
        redirect_uri="http://service.test/callback",
        code_challenge="x" * 43,
        claims=TokenClaims(
            **{f: getattr(claims, f) for f in claims.__struct_fields__},
            nonce="n",
            authorization_details=details,
        ),
        expires_at=now + 60,
    )
    audit = AuditRecord(
        created_at=now,
        pid=PERSON,
        client_id="service",
        outcome="granted",
        offered=("310000001",),
        chosen=("310000001",),
        sources=(),
    )
    return {"grant": grant, "code": code, "audit": audit}
