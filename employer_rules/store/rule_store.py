"""Rules, organisations and the audit trail: every change of a rule and its audit
record are written in one transaction, so neither exists without the other.

Changes name the organisations the administrator may touch; a rule of another
organisation is never changed, whatever identifier a form carries (`Forbidden`).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from employer_rules.audit import Action, Actor, AuditEntry, snapshot
from employer_rules.identifiers import domain_of
from employer_rules.organisations import Organisation
from employer_rules.rules import Rule, RuleError, RuleSpec
from employer_rules.store.models import AuditRow, OrganisationRow, RuleRow


class DuplicateRule(Exception):
    """The organisation already has a rule with exactly this content."""


class Forbidden(Exception):
    """The rule belongs to an organisation the administrator may not touch."""

    def __init__(self, orgno: str) -> None:
        super().__init__(orgno)
        self.orgno = orgno


class RuleGone(Exception):
    """No such rule (any more): deleted or changed by someone else meanwhile."""


def fingerprint(spec: RuleSpec) -> str:
    content = [spec.kind, spec.value, spec.client_filter, sorted(spec.client_ids)]
    content.append(sorted(spec.rights))
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()


def _rule(row: RuleRow) -> Rule:
    return Rule(
        id=row.id,
        orgno=row.orgno,
        kind=row.kind,  # type: ignore[arg-type]  # written from IdentifierKind only
        value=row.value,
        client_filter=row.client_filter,  # type: ignore[arg-type]
        client_ids=tuple(row.client_ids),
        rights=tuple(row.rights),
    )


def _content(rule: RuleSpec) -> dict[str, Any]:
    """The columns a rule's content is stored in."""
    return {
        "kind": rule.kind,
        "value": rule.value,
        "client_filter": rule.client_filter,
        "client_ids": list(rule.client_ids),
        "rights": list(rule.rights),
        "fingerprint": fingerprint(rule),
    }


def _new_row(rule: Rule, actor: Actor, now: datetime) -> RuleRow:
    return RuleRow(
        id=rule.id,
        orgno=rule.orgno,
        created_at=now,
        created_by=actor.sub,
        updated_at=now,
        updated_by=actor.sub,
        **_content(rule),
    )


def _organisation(row: OrganisationRow) -> Organisation:
    return Organisation(
        orgno=row.orgno,
        name=row.name,
        unit_type=row.unit_type,
        parent_orgno=row.parent_orgno,
        is_deleted=row.is_deleted,
    )


class RuleStore:
    def __init__(self, engine: AsyncEngine, clock: Callable[[], datetime] | None = None) -> None:
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._clock = clock or (lambda: datetime.now(UTC))

    # organisations

    async def save_organisations(
        self, organisations: Iterable[Organisation], *, keep_parent: bool = False
    ) -> None:
        """Insert or update; `keep_parent` leaves a known main unit in place (a token
        states name and unit type, never the main unit)."""
        now = self._clock()
        async with self._sessions.begin() as session:
            for organisation in organisations:
                row = await session.get(OrganisationRow, organisation.orgno)
                if row is None:
                    row = OrganisationRow(orgno=organisation.orgno)
                    session.add(row)
                elif keep_parent and organisation.parent_orgno is None:
                    organisation = msgspec.structs.replace(
                        organisation, parent_orgno=row.parent_orgno, is_deleted=row.is_deleted
                    )
                row.name = organisation.name
                row.unit_type = organisation.unit_type
                row.parent_orgno = organisation.parent_orgno
                row.is_deleted = organisation.is_deleted
                row.updated_at = now

    async def organisations(self, orgnos: Iterable[str]) -> dict[str, Organisation]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(OrganisationRow).where(OrganisationRow.orgno.in_(list(orgnos)))
            )
            return {row.orgno: _organisation(row) for row in rows}

    # reading rules

    async def rules_of(self, orgnos: Iterable[str]) -> list[Rule]:
        """The organisations' rules, oldest first."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(RuleRow)
                .where(RuleRow.orgno.in_(list(orgnos)))
                .order_by(RuleRow.created_at, RuleRow.id)
            )
            return [_rule(row) for row in rows]

    async def rule(self, rule_id: str) -> Rule | None:
        async with self._sessions() as session:
            row = await session.get(RuleRow, rule_id)
            return None if row is None else _rule(row)

    async def count_rules(self) -> int:
        async with self._sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(RuleRow)) or 0)

    async def rules_naming(
        self, email: str | None, groups: Sequence[str]
    ) -> tuple[list[Rule], dict[str, Organisation]]:
        """Every rule whose identifier is the address, its domain or one of the groups,
        with the organisations they name (one read, for the API)."""
        wanted = []
        if email is not None:
            wanted.append((RuleRow.kind == "email") & (RuleRow.value == email))
            wanted.append((RuleRow.kind == "domain") & (RuleRow.value == domain_of(email)))
        if groups:
            wanted.append((RuleRow.kind == "group") & RuleRow.value.in_(list(groups)))
        if not wanted:
            return [], {}
        async with self._sessions() as session:
            found = await session.execute(
                select(RuleRow, OrganisationRow)
                .join(OrganisationRow, OrganisationRow.orgno == RuleRow.orgno)
                .where(or_(*wanted))
                .order_by(RuleRow.orgno, RuleRow.created_at, RuleRow.id)
            )
            rules, organisations = [], {}
            for rule_row, organisation_row in found:
                rules.append(_rule(rule_row))
                organisations[organisation_row.orgno] = _organisation(organisation_row)
            return rules, organisations

    # changing rules

    async def create_rule(self, spec: RuleSpec, actor: Actor) -> Rule:
        """Store a new rule and its audit record; `DuplicateRule` when it exists."""
        now = self._clock()
        rule = Rule(id=secrets.token_hex(16), **msgspec.structs.asdict(spec))
        try:
            async with self._sessions.begin() as session:
                session.add(_new_row(rule, actor, now))
                self._audit(session, actor, rule.orgno, "rule_created", rule.id, None, rule)
        except IntegrityError as exc:
            raise DuplicateRule from exc
        return rule

    async def update_rule(
        self, rule_id: str, spec: RuleSpec, actor: Actor, allowed: frozenset[str]
    ) -> tuple[Rule, Rule]:
        """Replace a rule's content (its organisation stays); returns (before, after).
        `Forbidden` when the rule's organisation or the one `spec` names is not in
        `allowed`; `RuleError` when `spec` names another of the allowed ones."""
        now = self._clock()
        try:
            async with self._sessions.begin() as session:
                before = await self._allowed_rule(session, rule_id, allowed)
                if spec.orgno not in allowed:
                    raise Forbidden(spec.orgno)
                if spec.orgno != before.orgno:
                    raise RuleError("orgno", "orgno_cannot_change")
                after = Rule(id=rule_id, **msgspec.structs.asdict(spec))
                changed = await session.execute(
                    update(RuleRow)
                    .where(RuleRow.id == rule_id, RuleRow.fingerprint == fingerprint(before))
                    .values(updated_at=now, updated_by=actor.sub, **_content(after))
                )
                if _rowcount(changed) != 1:
                    raise RuleGone
                self._audit(session, actor, after.orgno, "rule_updated", rule_id, before, after)
        except IntegrityError as exc:
            raise DuplicateRule from exc
        return before, after

    async def delete_rule(self, rule_id: str, actor: Actor, allowed: frozenset[str]) -> Rule:
        async with self._sessions.begin() as session:
            rule = await self._allowed_rule(session, rule_id, allowed)
            gone = await session.execute(
                delete(RuleRow).where(
                    RuleRow.id == rule_id, RuleRow.fingerprint == fingerprint(rule)
                )
            )
            if _rowcount(gone) != 1:
                raise RuleGone
            self._audit(session, actor, rule.orgno, "rule_deleted", rule_id, rule, None)
        return rule

    async def record_refusal(
        self, actor: Actor, orgno: str, attempted: dict[str, Any], rule_id: str | None = None
    ) -> None:
        """Audit an attempt to touch an organisation the administrator may not touch."""
        async with self._sessions.begin() as session:
            session.add(
                AuditRow(
                    at=self._clock(),
                    actor_sub=actor.sub,
                    actor_pid=actor.pid,
                    actor_name=actor.name,
                    orgno=orgno[:20],
                    action="refused_other_organisation",
                    rule_id=rule_id,
                    before=None,
                    after=attempted,
                )
            )

    async def import_rules(self, specs: Iterable[RuleSpec], actor: Actor) -> int:
        """Store the rules in one transaction (all or none), each audited."""
        now = self._clock()
        count = 0
        async with self._sessions.begin() as session:
            for spec in specs:
                rule = Rule(id=secrets.token_hex(16), **msgspec.structs.asdict(spec))
                session.add(_new_row(rule, actor, now))
                self._audit(session, actor, rule.orgno, "rule_created", rule.id, None, rule)
                count += 1
        return count

    # the audit trail

    async def audit_trail(
        self, orgnos: Iterable[str], actor_sub: str, *, before_id: int | None, limit: int
    ) -> list[AuditEntry]:
        """Records about the organisations, and everything the administrator did
        (refused attempts included), newest first."""
        query = select(AuditRow).where(
            or_(AuditRow.orgno.in_(list(orgnos)), AuditRow.actor_sub == actor_sub)
        )
        if before_id is not None:
            query = query.where(AuditRow.id < before_id)
        async with self._sessions() as session:
            rows = await session.scalars(query.order_by(AuditRow.id.desc()).limit(limit))
            return [
                AuditEntry(
                    id=row.id,
                    at=row.at,
                    actor_sub=row.actor_sub,
                    actor_name=row.actor_name,
                    orgno=row.orgno,
                    action=row.action,  # type: ignore[arg-type]  # written from Action only
                    rule_id=row.rule_id,
                    before=row.before,
                    after=row.after,
                )
                for row in rows
            ]

    async def ping(self) -> None:
        async with self._sessions() as session:
            await session.execute(select(1))

    # steps

    async def _allowed_rule(
        self, session: AsyncSession, rule_id: str, allowed: frozenset[str]
    ) -> Rule:
        row = await session.get(RuleRow, rule_id)
        if row is None:
            raise RuleGone
        if row.orgno not in allowed:
            raise Forbidden(row.orgno)
        return _rule(row)

    def _audit(
        self,
        session: AsyncSession,
        actor: Actor,
        orgno: str,
        action: Action,
        rule_id: str,
        before: RuleSpec | None,
        after: RuleSpec | None,
    ) -> None:
        session.add(
            AuditRow(
                at=self._clock(),
                actor_sub=actor.sub,
                actor_pid=actor.pid,
                actor_name=actor.name,
                orgno=orgno,
                action=action,
                rule_id=rule_id,
                before=None if before is None else snapshot(before),
                after=None if after is None else snapshot(after),
            )
        )


def _rowcount(result: Any) -> int:
    count: int = result.rowcount
    return count
