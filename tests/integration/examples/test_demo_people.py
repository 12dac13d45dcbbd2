"""`ansattporten demo` as it runs: every server on its own loopback port, the Altinn
source getting its tokens from the mock Maskinporten and exchanging them at the mock
Altinn, and every demo person of the README's table reaching the organisation picker
(built from roles and access packages) from the employee service."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from authz_sources.altinn.mock import DEMO_FIXTURE
from authz_sources.maskinporten.mock import token_requests
from tests.support import altinn_oracle as oracle
from tests.support.admin_login import csrf_token, log_in
from tests.support.demo_stack import RunningDemo, run_demo
from tests.support.service_browser import ServiceBrowser, offered, text_of

APPS_TEST = "app_ttd_apps-test"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningDemo]:
    with run_demo(tmp_path_factory.mktemp("demo")) as running:
        yield running


@pytest.fixture(scope="module")
def people() -> dict[str, str]:
    return {k: v for k, v in json.loads(PEOPLE_FILE.read_text()).items() if not k.startswith("_")}


@pytest.fixture(scope="module")
def fixture() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO_FIXTURE.read_text("utf-8"))
    return data


PEOPLE_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "altinn_people.json"
WITH_PARTIES = [
    role
    for role in json.loads(PEOPLE_FILE.read_text())
    if role not in ("_descriptions", "no_parties")
]


@pytest.mark.parametrize("role", WITH_PARTIES)
def test_every_demo_person_reaches_the_picker(
    demo: RunningDemo, people: dict[str, str], fixture: dict[str, Any], role: str
) -> None:
    browser = ServiceBrowser()
    try:
        picker = browser.log_in(demo.url("employee_service"), people[role])
        assert picker.status_code == 200, picker.text[:500]
        assert picker.url.path.startswith("/organisation/"), (role, picker.url)
        expected = oracle.eligible(fixture, people[role], APPS_TEST)
        shown = set(offered(picker.text))
        if len(expected) <= 50:  # a long list is paged; the first page is checked below
            assert shown == expected, role
        else:
            assert shown, role
            assert shown <= expected, role
        first = min(shown)
        back = browser.choose(picker, first)
        assert back.status_code == 200, back.text[:500]
        assert first in back.text
    finally:
        browser.close()


def test_a_person_without_parties_goes_straight_back(
    demo: RunningDemo, people: dict[str, str]
) -> None:
    browser = ServiceBrowser()
    try:
        landed = browser.log_in(demo.url("employee_service"), people["no_parties"])
        assert landed.status_code == 200
        assert "/organisation/" not in landed.url.path
        assert str(landed.url).startswith(demo.url("employee_service"))
    finally:
        browser.close()


def test_the_demo_gets_altinn_tokens_from_maskinporten(
    demo: RunningDemo, people: dict[str, str]
) -> None:
    """Logins go through the Maskinporten path: the token is asked for (and cached) and
    exchanged at the mock Altinn, which accepts nothing else."""
    browser = ServiceBrowser()
    try:
        picker = browser.log_in(demo.url("employee_service"), people["main_with_subunits"])
        assert picker.url.path.startswith("/organisation/")
    finally:
        browser.close()
    assert token_requests(demo.apps[demo.ports.maskinporten]) >= 1
    altinn_state = demo.apps[demo.ports.altinn].state["altinn"]
    assert altinn_state.gate.exchanges >= 1


HAVBRIS = "13e32792-6b76-51c2-9e70-8cd065153def"
KARI = "b81ea541-2cc3-5c5a-ab1f-570169f790c9"  # kari.mange@havbris.example: no demo rule
SAU = "317501994"  # a sub-unit of the daglig leder's AS


def entra_login(browser: ServiceBrowser, service: str, tenant: str, oid: str) -> httpx.Response:
    """The Entra service sends the browser straight to the mock Entra ID."""
    page = browser.http.post(f"{service}/login")
    assert page.status_code == 200, page.text[:500]
    return browser.submit(page, {"account": f"{tenant}:{oid}", "action": "accept", "locale": "en"})


def test_the_readme_walkthrough_of_employer_rules(
    demo: RunningDemo, people: dict[str, str]
) -> None:
    """A daglig leder adds a rule for an Entra user in the admin pages; that user then
    logs in to the Entra service and acts for the organisation."""
    rules, service = demo.url("employer_rules"), demo.url("entra_service")
    before = ServiceBrowser()
    try:
        landed = entra_login(before, service, HAVBRIS, KARI)
        assert landed.url.path == "/callback", landed.url
        assert json.loads(text_of(landed.text, "details")) == [{"type": "ansattporten:orgno"}]
    finally:
        before.close()

    admin = httpx.Client(timeout=30)
    try:
        answer = log_in(admin, rules, people["main_with_subunits"])
        assert answer.status_code == 303, answer.text[:500]
        csrf = csrf_token(admin.get(f"{rules}/rules").text)
        added = admin.post(
            f"{rules}/rules",
            data={"csrf_token": csrf, "orgno": SAU, "kind": "email",
                  "identifier": "kari.mange@havbris.example", "client_filter": "all"},
        )  # fmt: skip
        assert added.status_code == 303, added.text[:500]
    finally:
        admin.close()

    after = ServiceBrowser()
    try:
        picker = entra_login(after, service, HAVBRIS, KARI)
        assert offered(picker.text) == [SAU], picker.text[:500]
        back = after.choose(picker, SAU)
        assert back.status_code == 200
        [granted] = json.loads(text_of(back.text, "details"))
        assert granted["authorized_parties"] == [
            {"orgno": {"authority": "iso6523-actorid-upis", "ID": f"0192:{SAU}"},
             "name": "SMIDIG SPENSTIG SAU"}
        ]  # fmt: skip
    finally:
        after.close()
