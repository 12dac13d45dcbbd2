"""The service's database on SQLite and PostgreSQL: the migration builds exactly the
models' schema; a rule change and its audit record are one transaction; another
organisation's rule is never touched; sessions, logins and assertion ids behave."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import AsyncEngine

from employer_rules.audit import Actor
from employer_rules.organisations import Organisation
from employer_rules.rules import RuleError, RuleSpec
from employer_rules.store.database import make_engine
from employer_rules.store.migrate import pending, upgrade
from employer_rules.store.models import Base
from employer_rules.store.rule_store import DuplicateRule, Forbidden, RuleGone, RuleStore
from employer_rules.store.session_store import (
    Administrator,
    AdminOrganisation,
    PendingLogin,
    SessionStore,
)

MAIN, SUB, OTHER = "318610584", "311337432", "313873137"
KARI = Actor(sub="sub-kari", pid="14926033388")
OLA = Actor(sub="sub-ola", pid="19929219034")


def spec(orgno: str = MAIN, value: str = "kari@oter.example", **more: object) -> RuleSpec:
    return RuleSpec(orgno=orgno, kind="email", value=value, client_filter="all", **more)  # type: ignore[arg-type]


@pytest.fixture
async def engine(any_database_url: str) -> AsyncIterator[AsyncEngine]:
    await upgrade(any_database_url)
    engine = make_engine(any_database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def store(engine: AsyncEngine) -> RuleStore:
    store = RuleStore(engine)
    await store.save_organisations(
        [
            Organisation(orgno=MAIN, name="FJORDLYS TRIVELIG OTER AS", unit_type="AS"),
            Organisation(orgno=SUB, name="AVD BERGEN", unit_type="BEDR", parent_orgno=MAIN),
            Organisation(orgno=OTHER, name="STILLE MODIG ELG", unit_type="ENK"),
        ]
    )
    return store


async def test_the_migration_builds_the_models_schema(
    engine: AsyncEngine, any_database_url: str
) -> None:
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
    assert differences == []
    assert not await pending(engine, any_database_url)
    await upgrade(any_database_url)  # again: nothing to do, no error


async def test_a_new_database_is_behind(any_database_url: str) -> None:
    engine = make_engine(any_database_url)
    try:
        assert await pending(engine, any_database_url)
    finally:
        await engine.dispose()


async def test_each_change_is_audited_with_before_and_after(store: RuleStore) -> None:
    created = await store.create_rule(spec(), KARI)
    changed = spec(value="kari.n@oter.example")
    await store.update_rule(created.id, changed, KARI, frozenset({MAIN}))
    await store.delete_rule(created.id, KARI, frozenset({MAIN}))

    trail = await store.audit_trail({MAIN}, "nobody", before_id=None, limit=10)
    assert [entry.action for entry in trail] == ["rule_deleted", "rule_updated", "rule_created"]
    deleted, updated, added = trail
    assert added.before is None
    assert added.after is not None
    assert added.after["value"] == "kari@oter.example"
    assert updated.before == added.after
    assert updated.after is not None
    assert updated.after["value"] == "kari.n@oter.example"
    assert deleted.before == updated.after
    assert deleted.after is None
    assert {entry.actor_sub for entry in trail} == {"sub-kari"}
    assert all(entry.at.tzinfo is not None for entry in trail)
    assert await store.rules_of({MAIN}) == []


async def test_the_same_rule_twice_is_refused_and_nothing_is_written(store: RuleStore) -> None:
    await store.create_rule(spec(), KARI)
    with pytest.raises(DuplicateRule):
        await store.create_rule(spec(), OLA)
    assert len(await store.rules_of({MAIN})) == 1
    trail = await store.audit_trail({MAIN}, "nobody", before_id=None, limit=10)
    assert [entry.action for entry in trail] == ["rule_created"]
    # the same content for another organisation is another rule
    await store.create_rule(spec(SUB), KARI)


async def test_another_organisations_rule_is_never_changed(store: RuleStore) -> None:
    theirs = await store.create_rule(spec(OTHER), OLA)
    with pytest.raises(Forbidden):
        await store.delete_rule(theirs.id, KARI, frozenset({MAIN, SUB}))
    with pytest.raises(Forbidden):
        await store.update_rule(theirs.id, spec(MAIN), KARI, frozenset({MAIN, SUB}))
    mine = await store.create_rule(spec(MAIN), KARI)
    with pytest.raises(Forbidden):  # moving my rule to their organisation
        await store.update_rule(mine.id, spec(OTHER), KARI, frozenset({MAIN}))
    with pytest.raises(RuleError):  # moving it between my own: not a thing rules do
        await store.update_rule(mine.id, spec(SUB), KARI, frozenset({MAIN, SUB}))
    assert await store.rules_of({OTHER}) == [theirs]
    assert await store.rules_of({MAIN}) == [mine]


async def test_a_deleted_rule_is_gone(store: RuleStore) -> None:
    rule = await store.create_rule(spec(), KARI)
    await store.delete_rule(rule.id, KARI, frozenset({MAIN}))
    with pytest.raises(RuleGone):
        await store.delete_rule(rule.id, KARI, frozenset({MAIN}))
    with pytest.raises(RuleGone):
        await store.update_rule(rule.id, spec(), KARI, frozenset({MAIN}))


async def test_refusals_are_audited_for_the_target_and_shown_to_their_author(
    store: RuleStore,
) -> None:
    await store.record_refusal(KARI, OTHER, {"orgno": OTHER, "identifier": "x@y.example"})
    for_target = await store.audit_trail({OTHER}, "sub-ola", before_id=None, limit=10)
    for_author = await store.audit_trail({MAIN}, "sub-kari", before_id=None, limit=10)
    for_bystander = await store.audit_trail({SUB}, "sub-per", before_id=None, limit=10)
    assert [e.action for e in for_target] == ["refused_other_organisation"]
    assert for_author == for_target
    assert for_bystander == []


async def test_the_audit_trail_pages_backwards(store: RuleStore) -> None:
    for number in range(5):
        await store.create_rule(spec(value=f"k{number}@oter.example"), KARI)
    first = await store.audit_trail({MAIN}, "x", before_id=None, limit=3)
    rest = await store.audit_trail({MAIN}, "x", before_id=first[-1].id, limit=3)
    assert (len(first), len(rest)) == (3, 2)
    assert [e.id for e in first + rest] == sorted((e.id for e in first + rest), reverse=True)


async def test_rules_naming_a_person_come_with_their_organisations(store: RuleStore) -> None:
    await store.create_rule(spec(SUB), KARI)
    await store.create_rule(
        RuleSpec(orgno=MAIN, kind="domain", value="oter.example", client_filter="all"), KARI
    )
    await store.create_rule(spec(OTHER, "ola@oter.example"), KARI)
    rules, organisations = await store.rules_naming("kari@oter.example", [])
    assert sorted(rule.orgno for rule in rules) == [SUB, MAIN]
    assert organisations[SUB].parent_orgno == MAIN
    assert await store.rules_naming(None, []) == ([], {})


async def test_a_token_names_an_organisation_without_losing_its_main_unit(
    store: RuleStore,
) -> None:
    await store.save_organisations(
        [Organisation(orgno=SUB, name="NYTT NAVN", unit_type="BEDR")], keep_parent=True
    )
    found = (await store.organisations([SUB]))[SUB]
    assert (found.name, found.parent_orgno) == ("NYTT NAVN", MAIN)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2030, 1, 1, 12, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def sessions_with(engine: AsyncEngine, clock: Clock) -> SessionStore:
    return SessionStore(
        engine,
        idle=timedelta(minutes=30),
        longest=timedelta(hours=2),
        login=timedelta(minutes=10),
        clock=clock,
    )


ADMIN = Administrator(
    sub="sub-kari",
    pid="14926033388",
    organisations=(AdminOrganisation(orgno=MAIN, name="OTER", unit_type="AS"),),
)


async def test_a_login_is_taken_once_and_only_in_time(engine: AsyncEngine) -> None:
    clock = Clock()
    sessions = sessions_with(engine, clock)
    pending_login = PendingLogin(state="s", nonce="n", code_verifier="v", locale="nn")
    cookie = await sessions.start_login(pending_login)
    assert await sessions.take_login(cookie) == pending_login
    assert await sessions.take_login(cookie) is None
    late = await sessions.start_login(pending_login)
    clock.now += timedelta(minutes=11)
    assert await sessions.take_login(late) is None
    assert await sessions.take_login("forged") is None


async def test_a_session_ends_when_idle_and_at_the_latest_end(engine: AsyncEngine) -> None:
    clock = Clock()
    sessions = sessions_with(engine, clock)
    cookie = await sessions.open_session(ADMIN)
    found = await sessions.session(cookie)
    assert found is not None
    assert found.administrator == ADMIN
    for _ in range(4):  # busy every 25 minutes, until 13:40
        clock.now += timedelta(minutes=25)
        assert await sessions.session(cookie) is not None
    clock.now += timedelta(minutes=25)  # 14:05: past the latest end (14:00)
    assert await sessions.session(cookie) is None
    idle = await sessions.open_session(ADMIN)
    clock.now += timedelta(minutes=31)
    assert await sessions.session(idle) is None
    ended = await sessions.open_session(ADMIN)
    await sessions.end_session(ended)
    assert await sessions.session(ended) is None


async def test_the_database_holds_no_cookie_value(engine: AsyncEngine) -> None:
    sessions = sessions_with(engine, Clock())
    cookie = await sessions.open_session(ADMIN)
    async with engine.connect() as connection:
        stored = (await connection.execute(sa.text("SELECT id_hash FROM admin_sessions"))).all()
    assert cookie not in {row[0] for row in stored}


async def test_an_assertion_id_counts_once_and_expired_ones_are_purged(
    engine: AsyncEngine,
) -> None:
    clock = Clock()
    sessions = sessions_with(engine, clock)
    expires = clock.now + timedelta(seconds=60)
    assert await sessions.use_assertion("provider", "jti-1", expires)
    assert not await sessions.use_assertion("provider", "jti-1", expires)
    assert await sessions.use_assertion("another", "jti-1", expires)
    await sessions.open_session(ADMIN)
    clock.now += timedelta(hours=3)
    await sessions.purge()
    async with engine.connect() as connection:
        for table in ("used_assertions", "admin_sessions", "pending_logins"):
            count = await connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))
            assert count == 0, table
