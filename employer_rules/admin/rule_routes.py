"""The rules of the administrator's organisations, and the audit trail.

Every change runs these steps: a live session -> the form's CSRF token -> the
organisation the form names (and the rule's own) is one the token carries, otherwise the
attempt is refused *and audited* -> the form read into a checked rule -> the change and
its audit record in one transaction -> back to the list.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath
from litestar.response import Redirect

from employer_rules.admin.context import Admin, actor_of, csrf_ok
from employer_rules.admin.rule_form import FIELDS, RuleForm, read_rule
from employer_rules.rules import RuleError, RuleSpec
from employer_rules.store.rule_store import DuplicateRule, Forbidden, RuleGone
from employer_rules.store.session_store import AdminSession

log = logging.getLogger("employer_rules.admin")
AUDIT_PAGE: Final = 50
NOTICES: Final = frozenset({"created", "updated", "deleted", "gone"})
FORM_BYTES: Final = 64 * 1024
DUPLICATE: Final = {"identifier": "duplicate"}


@dataclass(frozen=True)
class Posted:
    """A POST from a live session with the right CSRF token."""

    session: AdminSession
    form: dict[str, str]
    """The fields (the first value of a repeated one)."""


@dataclass(frozen=True)
class PostedRule:
    """A POST of the rule form, read as a rule for one of the session's organisations."""

    session: AdminSession
    data: dict[str, str]
    form: RuleForm
    spec: RuleSpec


def signed_in(session: AdminSession, section: str = "") -> dict[str, Any]:
    """What every page of a logged-in administrator shows: menu, logout form, section."""
    return {
        "administrator": session.administrator,
        "csrf_token": session.csrf_token,
        "section": section,
    }


def rule_routes(admin: Admin) -> list[HTTPRouteHandler]:
    pages = admin.pages

    def form_page(
        request: Request[Any, Any, Any],
        session: AdminSession,
        form: RuleForm,
        *,
        errors: Mapping[str, str] | None = None,
        rule_id: str | None = None,
        status: int = 200,
    ) -> Response[str]:
        return pages.render(
            request,
            "rule_form.html",
            {
                **signed_in(session, "rules"),
                "form": form,
                "errors": errors or {},
                "fields": FIELDS,
                "rule_id": rule_id,
            },
            status=status,
            here=f"/rules/{rule_id}/edit" if rule_id else f"/rules/new?orgno={form.orgno}",
        )

    async def refuse(
        request: Request[Any, Any, Any],
        session: AdminSession,
        orgno: str,
        form: Mapping[str, Any],
        rule_id: str | None = None,
    ) -> Response[str]:
        """Another organisation's rules: refused, audited and logged (no identity)."""
        attempted = {name: str(form.get(name, ""))[:200] for name in FIELDS if name in form}
        attempted["path"] = request.url.path
        await admin.rules.record_refusal(actor_of(session), orgno, attempted, rule_id)
        log.warning("refused a change to another organisation's rules", extra={"orgno": orgno[:20]})
        return pages.message(request, "other_organisation", status=403, **signed_in(session))

    async def posted(request: Request[Any, Any, Any]) -> Posted | Response[str]:
        """The session and form of a POST, or the page refusing it."""
        session = await admin.session(request)
        form = await request.form()
        if session is None:
            return pages.message(request, "session_expired", status=401)
        if not csrf_ok(session, form.get("csrf_token")):
            return pages.message(request, "form_expired", status=403)
        return Posted(session, {key: str(form.get(key)) for key in form})

    @get("/rules")
    async def list_rules(request: Request[Any, Any, Any]) -> Response[Any]:
        session = await admin.require_session(request)
        administrator = session.administrator
        rules = await admin.rules.rules_of(administrator.orgnos)
        done = request.query_params.get("done")
        return pages.render(
            request,
            "rules.html",
            {
                **signed_in(session, "rules"),
                "groups": [
                    (organisation, [rule for rule in rules if rule.orgno == organisation.orgno])
                    for organisation in administrator.organisations
                ],
                "notice": done if done in NOTICES else None,
            },
        )

    @get("/rules/new")
    async def new_rule(request: Request[Any, Any, Any]) -> Response[Any]:
        session = await admin.require_session(request)
        wanted = request.query_params.get("orgno", "")
        orgnos = session.administrator.orgnos
        orgno = wanted if wanted in orgnos else session.administrator.organisations[0].orgno
        return form_page(request, session, RuleForm(orgno=orgno))

    async def posted_rule(
        request: Request[Any, Any, Any], rule_id: str | None = None
    ) -> PostedRule | Response[Any]:
        """The steps both adding and changing a rule take before the store: a live
        session and its CSRF token, an organisation of the session (else refused and
        audited), a form that reads as a rule (else the form again, with its errors)."""
        checked = await posted(request)
        if isinstance(checked, Response):
            return checked
        session, data = checked.session, checked.form
        form = RuleForm.from_data(data)
        if form.orgno not in session.administrator.orgnos:
            return await refuse(request, session, form.orgno, data, rule_id)
        spec, errors = read_rule(form)
        if spec is None:
            return form_page(request, session, form, errors=errors, rule_id=rule_id, status=400)
        return PostedRule(session, data, form, spec)

    @post("/rules", request_max_body_size=FORM_BYTES)
    async def create_rule(request: Request[Any, Any, Any]) -> Response[Any]:
        checked = await posted_rule(request)
        if isinstance(checked, Response):
            return checked
        try:
            rule = await admin.rules.create_rule(checked.spec, actor_of(checked.session))
        except DuplicateRule:
            return form_page(request, checked.session, checked.form, errors=DUPLICATE, status=409)
        return Redirect(f"/rules?done=created#rule-{rule.id}", status_code=303)

    @get("/rules/{rule_id:str}/edit")
    async def edit_rule(request: Request[Any, Any, Any], rule_id: FromPath[str]) -> Response[Any]:
        session = await admin.require_session(request)
        rule = await admin.rules.rule(rule_id)
        if rule is None:
            return pages.message(request, "rule_gone", status=404, **signed_in(session))
        if rule.orgno not in session.administrator.orgnos:
            return await refuse(request, session, rule.orgno, {}, rule_id)
        return form_page(request, session, RuleForm.from_spec(rule), rule_id=rule_id)

    @post("/rules/{rule_id:str}", request_max_body_size=FORM_BYTES)
    async def update_rule(request: Request[Any, Any, Any], rule_id: FromPath[str]) -> Response[Any]:
        checked = await posted_rule(request, rule_id)
        if isinstance(checked, Response):
            return checked
        session, form = checked.session, checked.form
        try:
            await admin.rules.update_rule(
                rule_id, checked.spec, actor_of(session), session.administrator.orgnos
            )
        except Forbidden as exc:
            return await refuse(request, session, exc.orgno, checked.data, rule_id)
        except RuleGone:
            return Redirect("/rules?done=gone", status_code=303)
        except (DuplicateRule, RuleError) as exc:
            errors = {exc.field: exc.code} if isinstance(exc, RuleError) else DUPLICATE
            return form_page(request, session, form, errors=errors, rule_id=rule_id, status=409)
        return Redirect(f"/rules?done=updated#rule-{rule_id}", status_code=303)

    @post("/rules/{rule_id:str}/delete", request_max_body_size=FORM_BYTES)
    async def delete_rule(request: Request[Any, Any, Any], rule_id: FromPath[str]) -> Response[Any]:
        checked = await posted(request)
        if isinstance(checked, Response):
            return checked
        session, data = checked.session, checked.form
        try:
            await admin.rules.delete_rule(rule_id, actor_of(session), session.administrator.orgnos)
        except Forbidden as exc:
            return await refuse(request, session, exc.orgno, data, rule_id)
        except RuleGone:
            return Redirect("/rules?done=gone", status_code=303)
        return Redirect("/rules?done=deleted", status_code=303)

    @get("/audit")
    async def audit(request: Request[Any, Any, Any]) -> Response[Any]:
        session = await admin.require_session(request)
        before = request.query_params.get("before", "")
        entries = await admin.rules.audit_trail(
            session.administrator.orgnos,
            session.administrator.sub,
            before_id=int(before) if before.isdigit() and len(before) < 12 else None,
            limit=AUDIT_PAGE,
        )
        names = {o.orgno: o.name for o in session.administrator.organisations}
        return pages.render(
            request,
            "audit.html",
            {
                **signed_in(session, "audit"),
                "entries": entries,
                "names": names,
                "older": entries[-1].id if len(entries) == AUDIT_PAGE else None,
            },
        )

    return [list_rules, new_rule, create_rule, edit_rule, update_rule, delete_rule, audit]
