"""The admin application over real HTTP, with an httpx client as the browser: logging
in through the provider (mock Altinn gives the administration resource), managing
rules, the audit trail, CSRF, tampered forms, and logging out."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from html import unescape

import httpx
import pytest
import sqlalchemy as sa

from tests.support.admin_login import AdminStack, admin_stack, csrf_token, log_in
from tests.support.employer_rules import API_TOKEN, people

OTER, BERGEN, ELG, SEL = "318610584", "311337432", "313873137", "317462263"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminStack]:
    folder = tmp_path_factory.mktemp("admin")
    with admin_stack(
        f"sqlite:///{folder / 'provider.db'}", f"sqlite:///{folder / 'rules.db'}"
    ) as running:
        yield running


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client


def logged_in(
    stack: AdminStack, browser: httpx.Client, who: str, parties: list[str] | None = None
) -> str:
    """Log in; returns the CSRF token of the session."""
    answer = log_in(browser, stack.rules.base_url, people()[who], parties)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/rules"
    return csrf_token(browser.get(f"{stack.rules.base_url}/rules").text)


def audit_rows(stack: AdminStack, action: str) -> list[sa.Row[tuple[object, ...]]]:
    engine = sa.create_engine(stack.rules.settings.database_url)
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    sa.text("SELECT * FROM audit_events WHERE action = :a ORDER BY id"),
                    {"a": action},
                )
            )
    finally:
        engine.dispose()


def add_rule(stack: AdminStack, browser: httpx.Client, csrf: str, **fields: str) -> httpx.Response:
    form = {"csrf_token": csrf, "kind": "email", "client_filter": "all", **fields}
    return browser.post(f"{stack.rules.base_url}/rules", data=form)


def test_the_session_cookie_is_httponly_and_samesite(
    stack: AdminStack, browser: httpx.Client
) -> None:
    answer = log_in(browser, stack.rules.base_url, people()["dagl_with_subunit"])
    cookies = answer.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("employer_rules_session="))
    assert "HttpOnly" in session
    assert "SameSite=lax" in session
    assert "Path=/" in session
    login = next(c for c in cookies if c.startswith("employer_rules_login="))
    assert "Max-Age=0" in login  # the login cookie is spent


def test_the_administrator_sees_the_organisations_of_the_token(
    stack: AdminStack, browser: httpx.Client
) -> None:
    logged_in(stack, browser, "dagl_with_subunit")
    page = browser.get(f"{stack.rules.base_url}/rules").text
    assert re.findall(r'data-orgno="(\d{9})"', page) == [OTER, BERGEN]
    assert "FJORDLYS TRIVELIG OTER AS AVD BERGEN" in page


def test_only_the_organisations_chosen_at_the_provider(
    stack: AdminStack, browser: httpx.Client
) -> None:
    csrf = logged_in(stack, browser, "dagl_with_subunit", parties=[BERGEN])
    page = browser.get(f"{stack.rules.base_url}/rules").text
    assert re.findall(r'data-orgno="(\d{9})"', page) == [BERGEN]
    refused = add_rule(stack, browser, csrf, orgno=OTER, identifier="x@oter.example")
    assert refused.status_code == 403


@pytest.mark.parametrize("who", ["innehaver", "bestyrende_reder"])
def test_innehaver_and_bestyrende_reder_administer_too(
    stack: AdminStack, browser: httpx.Client, who: str
) -> None:
    logged_in(stack, browser, who)
    page = browser.get(f"{stack.rules.base_url}/rules").text
    assert len(re.findall(r'<section class="organisation"', page)) == 1


def test_someone_without_the_right_gets_a_page_saying_so(
    stack: AdminStack, browser: httpx.Client
) -> None:
    answer = log_in(browser, stack.rules.base_url, people()["no_admin_right"])
    assert answer.status_code == 403
    assert 'data-message="access_denied"' in answer.text
    assert "employer_rules_session" not in browser.cookies


def test_add_change_and_delete_a_rule_and_the_api_follows(
    stack: AdminStack, browser: httpx.Client
) -> None:
    csrf = logged_in(stack, browser, "innehaver")
    added = add_rule(
        stack,
        browser,
        csrf,
        orgno=ELG,
        identifier="Ansatt.Person@Elg.Example",
        client_filter="allow",
        client_ids="rapportering",
        rights="les, rapporter",
    )
    assert added.status_code == 303, added.text
    rule_id = added.headers["location"].rsplit("#rule-", 1)[1]
    assert parties_for(stack, "ansatt.person@elg.example", "rapportering") == {
        ELG: ["les", "rapporter"]
    }

    edit = browser.get(f"{stack.rules.base_url}/rules/{rule_id}/edit")
    assert 'value="ansatt.person@elg.example"' in edit.text
    changed = browser.post(
        f"{stack.rules.base_url}/rules/{rule_id}",
        data={
            "csrf_token": csrf,
            "orgno": ELG,
            "kind": "domain",
            "identifier": "elg.example",
            "client_filter": "deny",
            "client_ids": "lonn",
            "rights": "",
        },
    )
    assert changed.status_code == 303, changed.text
    assert parties_for(stack, "noen@elg.example", "rapportering") == {ELG: []}
    assert parties_for(stack, "noen@elg.example", "lonn") == {}

    deleted = browser.post(
        f"{stack.rules.base_url}/rules/{rule_id}/delete", data={"csrf_token": csrf}
    )
    assert deleted.status_code == 303
    assert parties_for(stack, "noen@elg.example", "rapportering") == {}
    again = browser.post(
        f"{stack.rules.base_url}/rules/{rule_id}/delete", data={"csrf_token": csrf}
    )
    assert again.headers["location"] == "/rules?done=gone"  # safe to retry

    audit = browser.get(f"{stack.rules.base_url}/audit").text
    actions = re.findall(r'data-action="(\w+)" data-orgno="' + ELG, audit)
    assert actions[:3] == ["rule_deleted", "rule_updated", "rule_created"]
    rows = [r for r in audit_rows(stack, "rule_updated") if r.rule_id == rule_id]
    assert rows[0].actor_pid == people()["innehaver"]
    assert rows[0].actor_sub
    assert rows[0].actor_sub != people()["innehaver"]


def parties_for(stack: AdminStack, email: str, client_id: str) -> dict[str, list[str]]:
    answer = httpx.post(
        f"{stack.rules.base_url}/parties",
        json={
            "type": "ansattporten:orgno",
            "client_id": client_id,
            "subject": {"email": email},
            "detail": {"type": "ansattporten:orgno"},
        },
        headers={"Authorization": f"Bearer {API_TOKEN}"},
    )
    assert answer.status_code == 200, answer.text
    return {p["id"][5:]: p.get("rights", []) for p in answer.json()["parties"]}


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"identifier": "ikke en adresse"}, "identifier", "email_invalid"),
        ({"kind": "domain", "identifier": "ikke et domene"}, "identifier", "domain_invalid"),
        ({"kind": "group", "identifier": "1111-1111-1111"}, "identifier", "group_invalid"),
        ({"identifier": ""}, "identifier", "identifier_required"),
        ({"client_filter": "allow"}, "client_ids", "client_ids_required"),
        (
            {"client_filter": "deny", "client_ids": "a", "rights": "les"},
            "rights",
            "rights_need_single_client",
        ),
        (
            {"client_filter": "allow", "client_ids": "a b", "rights": "les"},
            "rights",
            "rights_need_single_client",
        ),
        ({"kind": "phone"}, "kind", "kind_invalid"),
        ({"client_filter": "some"}, "client_filter", "filter_invalid"),
    ],
)
def test_mistakes_in_the_form_are_shown_at_their_fields(
    stack: AdminStack, browser: httpx.Client, fields: dict[str, str], field: str, code: str
) -> None:
    csrf = logged_in(stack, browser, "bestyrende_reder")
    answer = add_rule(stack, browser, csrf, orgno=SEL, **{"identifier": "x@sel.example", **fields})
    assert answer.status_code == 400
    assert 'id="error-summary"' in answer.text
    assert f'href="#{field}"' in answer.text
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', answer.text), answer.text
    assert unescape(re.search(r'name="csrf_token" value="([^"]+)"', answer.text).group(1)) == csrf  # type: ignore[union-attr]


def test_the_same_rule_twice_is_explained(stack: AdminStack, browser: httpx.Client) -> None:
    csrf = logged_in(stack, browser, "bestyrende_reder")
    assert (
        add_rule(stack, browser, csrf, orgno=SEL, identifier="twice@sel.example").status_code == 303
    )
    second = add_rule(stack, browser, csrf, orgno=SEL, identifier="TWICE@sel.example")
    assert second.status_code == 409
    assert "allerede en regel" in second.text


def test_a_form_for_another_organisation_is_refused_and_audited(
    stack: AdminStack, browser: httpx.Client
) -> None:
    before = len(audit_rows(stack, "refused_other_organisation"))
    csrf = logged_in(stack, browser, "bestyrende_reder")
    for orgno in (ELG, "999999999", "<script>"):
        refused = add_rule(stack, browser, csrf, orgno=orgno, identifier="inn@trenger.example")
        assert refused.status_code == 403
        assert 'data-message="other_organisation"' in refused.text
    rows = audit_rows(stack, "refused_other_organisation")[before:]
    assert [row.orgno for row in rows] == [ELG, "999999999", "<script>"]
    assert all(row.actor_pid == people()["bestyrende_reder"] for row in rows)
    assert parties_for(stack, "inn@trenger.example", "x") == {}
    audit = browser.get(f"{stack.rules.base_url}/audit").text
    assert audit.count('data-action="refused_other_organisation"') >= 3
    assert "<script>" not in audit


def test_another_organisations_rule_cannot_be_seen_changed_or_deleted(
    stack: AdminStack, browser: httpx.Client
) -> None:
    owner = httpx.Client(timeout=30)
    csrf_owner = logged_in(stack, owner, "innehaver")
    theirs = add_rule(stack, owner, csrf_owner, orgno=ELG, identifier="theirs@elg.example")
    rule_id = theirs.headers["location"].rsplit("#rule-", 1)[1]
    owner.close()

    csrf = logged_in(stack, browser, "bestyrende_reder")
    before = len(audit_rows(stack, "refused_other_organisation"))
    assert browser.get(f"{stack.rules.base_url}/rules/{rule_id}/edit").status_code == 403
    post = {
        "csrf_token": csrf,
        "orgno": SEL,
        "kind": "email",
        "identifier": "a@b.no",
        "client_filter": "all",
    }
    assert browser.post(f"{stack.rules.base_url}/rules/{rule_id}", data=post).status_code == 403
    assert (
        browser.post(
            f"{stack.rules.base_url}/rules/{rule_id}/delete", data={"csrf_token": csrf}
        ).status_code
        == 403
    )
    rows = audit_rows(stack, "refused_other_organisation")[before:]
    assert [(row.orgno, row.rule_id) for row in rows] == [(ELG, rule_id)] * 3
    assert ELG in parties_for(stack, "theirs@elg.example", "x")


def test_posts_without_the_sessions_csrf_token_change_nothing(
    stack: AdminStack, browser: httpx.Client
) -> None:
    logged_in(stack, browser, "bestyrende_reder")
    for token in ("", "forged"):
        answer = add_rule(stack, browser, token, orgno=SEL, identifier="csrf@sel.example")
        assert answer.status_code == 403
        assert 'data-message="form_expired"' in answer.text
    assert parties_for(stack, "csrf@sel.example", "x") == {}


def test_without_a_session(stack: AdminStack, browser: httpx.Client) -> None:
    assert browser.get(f"{stack.rules.base_url}/rules").headers["location"] == "/"
    assert add_rule(stack, browser, "x", orgno=SEL, identifier="a@b.no").status_code == 401
    with httpx.Client(cookies={"employer_rules_session": "forged"}) as forger:
        assert forger.get(f"{stack.rules.base_url}/audit").status_code == 303


def test_a_callback_counts_once_and_only_in_the_browser_that_started_it(
    stack: AdminStack, browser: httpx.Client
) -> None:
    assert browser.get(f"{stack.rules.base_url}/callback?code=x&state=y").status_code == 400
    started = browser.get(f"{stack.rules.base_url}/login")
    login_cookie = browser.cookies["employer_rules_login"]
    other = httpx.Client(timeout=30, cookies={"employer_rules_login": login_cookie})
    forged_state = other.get(
        f"{stack.rules.base_url}/callback?code=x&state=forged&iss={stack.provider}"
    )
    assert forged_state.status_code == 400
    assert 'data-message="login_failed"' in forged_state.text
    assert started.status_code == 303
    # the login was taken by that attempt: the real callback finds nothing now
    assert other.get(f"{stack.rules.base_url}/callback?code=x&state=y").status_code == 400
    other.close()


def test_the_provider_sent_the_administrator_back_without_a_login(
    stack: AdminStack, browser: httpx.Client
) -> None:
    browser.get(f"{stack.rules.base_url}/login")
    pending = browser.cookies["employer_rules_login"]
    engine = sa.create_engine(stack.rules.settings.database_url)
    with engine.connect() as connection:
        state = connection.execute(
            sa.text("SELECT state FROM pending_logins WHERE id_hash = :h"),
            {"h": hashlib.sha256(pending.encode()).hexdigest()},
        ).scalar_one()
    engine.dispose()
    answer = browser.get(
        f"{stack.rules.base_url}/callback",
        params={"error": "access_denied", "state": state, "iss": stack.provider},
    )
    assert answer.status_code == 403
    assert 'data-message="access_denied"' in answer.text


def test_logout_ends_the_session_and_returns_through_the_provider(
    stack: AdminStack, browser: httpx.Client
) -> None:
    csrf = logged_in(stack, browser, "bestyrende_reder")
    out = browser.post(f"{stack.rules.base_url}/logout", data={"csrf_token": csrf})
    assert out.status_code == 303
    assert out.headers["location"].startswith(f"{stack.provider}/logout?")
    assert "id_token_hint" not in out.headers["location"]
    back = browser.get(out.headers["location"])
    assert back.headers["location"] == f"{stack.rules.base_url}/logged-out"
    assert browser.get(back.headers["location"]).status_code == 200
    assert browser.get(f"{stack.rules.base_url}/rules").status_code == 303


def test_the_language_goes_to_the_provider_and_back(
    stack: AdminStack, browser: httpx.Client
) -> None:
    started = browser.get(f"{stack.rules.base_url}/login?lang=nn")
    authorize = browser.get(started.headers["location"])
    login_page = browser.get(str(authorize.url.join(authorize.headers["location"])))
    assert '<html lang="nn">' in login_page.text
    landing = browser.get(f"{stack.rules.base_url}/", headers={"Accept-Language": "en"})
    assert '<html lang="nn">' in landing.text  # the switcher's choice was remembered


def test_logging_in_again_ends_the_previous_session(
    stack: AdminStack, browser: httpx.Client
) -> None:
    logged_in(stack, browser, "bestyrende_reder")
    first = browser.cookies["employer_rules_session"]
    # another person at this browser: without ending the provider's session, logging in
    # again to the admin application would be silent, as the first person
    browser.cookies.delete("ap_session")
    logged_in(stack, browser, "innehaver")
    with httpx.Client(cookies={"employer_rules_session": first}) as old:
        assert old.get(f"{stack.rules.base_url}/rules").status_code == 303
