"""The admin pages' texts: every catalogue complete with the same placeholders, every
key a template or the code names present, and every page rendering in every locale."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar, Request, Response, get
from litestar.testing import TestClient

from employer_rules.admin.i18n import LOCALES, Catalogues, choose_locale
from employer_rules.admin.rendering import TEMPLATES, Pages
from employer_rules.admin.rule_form import RuleForm
from employer_rules.audit import Action, AuditEntry
from employer_rules.errors import PAGES_BY_STATUS
from employer_rules.rules import Rule
from employer_rules.store.session_store import Administrator, AdminOrganisation

PACKAGE = Path(__file__).resolve().parents[3] / "employer_rules"
CATALOGUES = Catalogues()
ERROR_CODES = {
    *re.findall(r'IdentifierError\("(\w+)"\)', (PACKAGE / "identifiers.py").read_text()),
    *re.findall(r'RuleError\("\w+", "(\w+)"\)', (PACKAGE / "rules.py").read_text()),
    *re.findall(r'RuleError\("\w+", "(\w+)"\)', (PACKAGE / "store/rule_store.py").read_text()),
    *re.findall(r'errors\["\w+"\] = "(\w+)"', (PACKAGE / "admin/rule_form.py").read_text()),
    "duplicate",
}
MESSAGES = {
    name
    for path in PACKAGE.rglob("*.py")
    for name in re.findall(r'message\(\s*request,\s*"(\w+)"', path.read_text())
} | {"access_denied", "error", "unavailable", *PAGES_BY_STATUS.values()}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_catalogue_is_complete_with_the_same_placeholders(locale: str) -> None:
    reference, texts = CATALOGUES.texts["nb"], CATALOGUES.texts[locale]
    assert set(texts) == set(reference)
    for key, text in texts.items():
        assert text.strip(), key
        assert placeholders(text) == placeholders(reference[key]), key


def test_every_key_a_template_names_exists() -> None:
    used = set()
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        used |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']\s*[,)]""", text))
    assert used
    assert used - set(CATALOGUES.texts["nb"]) == set()


def test_every_error_message_and_label_the_code_can_ask_for_exists() -> None:
    keys = set(CATALOGUES.texts["nb"])
    assert {f"form.error.{code}" for code in ERROR_CODES} <= keys
    assert {f"message.{name}.{part}" for name in MESSAGES for part in ("title", "text")} <= keys
    assert {f"audit.action.{action}" for action in Action.__args__} <= keys  # type: ignore[attr-defined]
    assert {
        f"filter.{f}.{form}" for f in ("all", "allow", "deny") for form in ("short", "long")
    } <= keys
    assert {f"kind.{kind}" for kind in ("email", "domain", "group")} <= keys


ADMIN = Administrator(
    sub="sub-1",
    pid="14926033388",
    organisations=(
        AdminOrganisation(orgno="318610584", name="OTER AS", unit_type="AS"),
        AdminOrganisation(orgno="311337432", name="OTER AVD", unit_type="BEDR"),
    ),
)
RULE = Rule(
    id="r1",
    orgno="311337432",
    kind="email",
    value="kari@oter.example",
    client_filter="allow",
    client_ids=("rapportering",),
    rights=("les",),
)
SNAPSHOT = {
    "orgno": "311337432",
    "kind": "domain",
    "value": "oter.example",
    "client_filter": "deny",
    "client_ids": ["a", "b"],
    "rights": [],
}
SAMPLES = {
    "landing.html": {},
    "message.html": {"name": "other_organisation", "administrator": ADMIN, "csrf_token": "c"},
    "rules.html": {
        "administrator": ADMIN,
        "csrf_token": "c",
        "groups": [(ADMIN.organisations[0], []), (ADMIN.organisations[1], [RULE])],
        "notice": "created",
    },
    "rule_form.html": {
        "administrator": ADMIN,
        "csrf_token": "c",
        "form": RuleForm(orgno="311337432", identifier="x"),
        "errors": {"identifier": "email_invalid", "rights": "rights_need_single_client"},
        "fields": ("orgno", "kind", "identifier", "client_filter", "client_ids", "rights"),
        "rule_id": None,
    },
    "audit.html": {
        "administrator": ADMIN,
        "csrf_token": "c",
        "names": {"311337432": "OTER AVD"},
        "older": 5,
        "entries": [
            AuditEntry(
                id=number,
                at=datetime(2030, 1, 1, tzinfo=UTC),
                actor_sub=actor,
                actor_name="Kari Nordmann" if actor == "sub-2" else None,
                orgno="311337432",
                action=action,
                rule_id="r1",
                before=SNAPSHOT if action != "rule_created" else None,
                after=SNAPSHOT if action != "rule_deleted" else None,
            )
            for number, (actor, action) in enumerate(
                [
                    ("sub-1", "rule_created"),
                    ("sub-2", "rule_updated"),
                    ("system", "rule_deleted"),
                    ("sub-1", "refused_other_organisation"),
                ]
            )
        ],
    },
}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("template", sorted(SAMPLES))
def test_every_page_renders_in_every_locale(template: str, locale: str) -> None:
    pages = Pages("nb", secure_cookies=False)

    @get("/page")
    async def page(request: Request[Any, Any, Any]) -> Response[str]:
        return pages.render(request, template, SAMPLES[template])

    with TestClient(Litestar([page])) as client:
        answer = client.get(f"/page?lang={locale}")
    assert answer.status_code == 200
    html = answer.text
    assert f'<html lang="{locale}">' in html
    untranslated = re.findall(
        r">\s*((?:message|form|rules|audit|common|nav|landing)\.[a-z_.]+)\s*<", html
    )
    assert untranslated == []
    assert "employer_rules_lang=" + locale in answer.headers["set-cookie"]


@pytest.mark.parametrize(
    ("switcher", "ui_locales", "cookie", "accept", "expected"),
    [
        ("nn", "en", "se", "en", "nn"),
        (None, "sme en", "nn", "en", "se"),
        (None, "xx", "nn", "en", "nn"),
        (None, None, None, "de, en-GB;q=0.8, nb;q=0.9", "nb"),
        (None, None, None, "nb;q=0, en;q=0.1", "en"),
        (None, None, None, "no-NO", "nb"),
        (None, None, None, "de", "nb"),
        ("xx", None, None, None, "nb"),
    ],
)
def test_the_page_language(
    switcher: str | None,
    ui_locales: str | None,
    cookie: str | None,
    accept: str | None,
    expected: str,
) -> None:
    chosen = choose_locale(
        switcher=switcher,
        ui_locales=ui_locales,
        cookie=cookie,
        accept_language=accept,
        default="nb",
    )
    assert chosen == expected
