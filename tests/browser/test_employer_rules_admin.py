"""The employer-rules admin pages in Chromium: an administrator logs in through a real
provider (TestID, the picker, mock Altinn giving the administration resource), adds and
removes a rule, a tampered form for another organisation is refused and audited, the
pages work by keyboard, and axe-core finds no WCAG 2.1 A/AA violation on any of them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.support.admin_login import AdminStack, admin_stack
from tests.support.axe import violations
from tests.support.chromium import artifact
from tests.support.employer_rules import people

OTER, BERGEN, ELG = "318610584", "311337432", "313873137"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminStack]:
    folder = tmp_path_factory.mktemp("admin-browser")
    with admin_stack(
        f"sqlite:///{folder / 'provider.db'}", f"sqlite:///{folder / 'rules.db'}"
    ) as running:
        yield running


def assert_accessible(page: Page, name: str) -> None:
    page.screenshot(path=artifact(f"employer-rules-{name}.png"), full_page=True)
    found = violations(page)
    assert found == [], f"{name}: {found}"


def log_in(page: Page, stack: AdminStack, pid: str) -> None:
    page.goto(stack.rules.base_url)
    assert_accessible(page, "landing")
    page.get_by_role("link", name="Logg inn").click()
    page.wait_for_url(f"{stack.provider}/login/**")
    page.fill("input[name=pid]", pid)
    page.locator("input[name=acr][value='idporten-loa-substantial']").check()
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{stack.provider}/organisation/**")
    for box in page.locator("input[name=party]").all():
        page.locator(f"label[for='{box.get_attribute('id')}']").click()
    page.locator("button[name=choose]").click()
    page.wait_for_url(f"{stack.rules.base_url}/rules")


def test_add_and_remove_a_rule_and_a_tampered_form_is_refused(
    page: Page, stack: AdminStack
) -> None:
    log_in(page, stack, people()["dagl_with_subunit"])
    expect(page.locator("h1")).to_have_text("Regler")
    expect(page.locator("section.organisation")).to_have_count(2)
    assert_accessible(page, "rules-empty")

    # add a rule for the sub-unit, with one mistake first
    page.locator(f"section[data-orgno='{BERGEN}']").get_by_role("link").click()
    page.wait_for_url("**/rules/new?orgno=" + BERGEN)
    assert_accessible(page, "new-rule")
    expect(page.get_by_label("Organisasjon")).to_have_value(BERGEN)
    page.get_by_label("Identifikator", exact=True).fill("kari.bergen@oter")
    page.get_by_label("Bare tjenestene med disse klient-ID-ene (Tillat)").check()
    page.get_by_label("Klient-ID-er").fill("rapportering")
    page.get_by_label("Tjenestespesifikke rettigheter (valgfritt)").fill("les, rapporter")
    page.get_by_role("button", name="Lagre regelen").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.get_by_label("Identifikator", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "new-rule-with-error")
    page.locator("#error-summary a").click()
    expect(page.get_by_label("Identifikator", exact=True)).to_be_focused()
    page.get_by_label("Identifikator", exact=True).fill("kari.bergen@oter.example")
    page.get_by_role("button", name="Lagre regelen").click()
    page.wait_for_url("**/rules?done=created*")
    expect(page.locator("#notice")).to_have_text("Regelen er lagt til.")
    row = page.locator(f"section[data-orgno='{BERGEN}'] tr[data-rule]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("kari.bergen@oter.example")
    expect(row).to_contain_text("rapportering")
    expect(row).to_contain_text("les, rapporter")
    assert_accessible(page, "rules-with-one")

    # a form tampered to name another organisation
    page.goto(f"{stack.rules.base_url}/rules/new?orgno={OTER}")
    page.evaluate(
        """(orgno) => {
            const select = document.querySelector('select[name=orgno]');
            select.add(new Option('INNSMUGLET', orgno));
            select.value = orgno;
        }""",
        ELG,
    )
    page.get_by_label("Identifikator", exact=True).fill("inntrenger@elg.example")
    page.get_by_role("button", name="Lagre regelen").click()
    expect(page.locator("#message")).to_have_attribute("data-message", "other_organisation")
    assert_accessible(page, "refused")

    page.get_by_role("link", name="Endringslogg").click()
    refused = page.locator(f"tr[data-action='refused_other_organisation'][data-orgno='{ELG}']")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("inntrenger@elg.example")
    expect(page.locator("tr[data-action='rule_created']")).to_have_count(1)
    assert_accessible(page, "audit")

    # remove the rule
    page.get_by_role("link", name="Regler").click()
    page.get_by_role("button", name="Slett regelen for kari.bergen@oter.example").click()
    page.wait_for_url("**/rules?done=deleted")
    expect(page.locator("tr[data-rule]")).to_have_count(0)
    page.get_by_role("link", name="Endringslogg").click()
    expect(page.locator("tr[data-action='rule_deleted']")).to_have_count(1)

    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(f"{stack.rules.base_url}/logged-out")
    assert_accessible(page, "logged-out")


def test_the_pages_by_keyboard_alone(page: Page, stack: AdminStack) -> None:
    log_in(page, stack, people()["innehaver"])
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    # through the page to the "add a rule" link, then the form, by Tab and keys only
    add = page.get_by_role("link", name="Legg til regel for STILLE MODIG ELG")
    for _ in range(30):
        page.keyboard.press("Tab")
        if add.evaluate("element => element === document.activeElement"):
            break
    expect(add).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/rules/new**")
    page.get_by_label("Organisasjon").focus()
    page.keyboard.press("Tab")  # to the kind radios: e-mail is checked
    page.keyboard.press("ArrowDown")  # domain
    expect(page.get_by_label("Domene")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("elg.example")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url("**/rules?done=created*")
    expect(page.locator("tr[data-rule]")).to_contain_text("elg.example")


@pytest.mark.parametrize("lang", ["nn", "se", "en"])
def test_every_language_is_accessible(page: Page, stack: AdminStack, lang: str) -> None:
    log_in(page, stack, people()["bestyrende_reder"])
    for path in ("/rules", "/rules/new", "/audit"):
        page.goto(f"{stack.rules.base_url}{path}?lang={lang}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert_accessible(page, f"{path.strip('/').replace('/', '-')}-{lang}")
    page.goto(f"{stack.rules.base_url}/no-such-page")
    expect(page.locator("html")).to_have_attribute("lang", lang)  # remembered
    assert_accessible(page, f"not-found-{lang}")
