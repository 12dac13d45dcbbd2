"""The demo's three eIDs, from the example employee service as a newcomer meets them
(README, "Demo"): the selector offers TestID, ID-porten and Entra ID; a login through
each reaches the service: TestID and ID-porten with the organisation picker, an eIDAS
person without a Norwegian number and an Entra ID user as themselves."""

from __future__ import annotations

from tests.integration.examples.test_demo_people import RunningDemo, demo
from tests.support.service_browser import ServiceBrowser, offered, text_of

__all__ = ["demo"]
LARS = "23865938772"


def test_the_selector_shows_the_three_eids(demo: RunningDemo) -> None:
    browser = ServiceBrowser()
    try:
        page = browser.http.post(f"{demo.url('employee_service')}/login")
        assert page.status_code == 200
        for label in ("TestID", "ID-porten", "Microsoft Entra ID"):
            assert f'<span class="eid-choice__name">{label}</span>' in page.text
    finally:
        browser.close()


def test_testid_then_the_picker(demo: RunningDemo) -> None:
    browser = ServiceBrowser()
    try:
        picker = browser.log_in(demo.url("employee_service"), LARS)
        assert picker.url.path.startswith("/organisation/")
        back = browser.choose(picker, offered(picker.text)[0])
        assert text_of(back.text, "amr") == "TestID"
    finally:
        browser.close()


def test_id_porten_with_bankid_then_the_picker(demo: RunningDemo) -> None:
    browser = ServiceBrowser()
    try:
        page = browser.start(demo.url("employee_service"), "idporten")
        assert str(page.url).startswith(demo.url("idporten"))
        picker = browser.submit(
            page, {"action": "national", "pid": LARS, "method": "bankid", "locale": "nb"}
        )
        assert picker.url.path.startswith("/organisation/"), picker.url
        back = browser.choose(picker, offered(picker.text)[0])
        assert text_of(back.text, "who").startswith("Lars Berg")
        assert text_of(back.text, "acr") == "high"
        assert text_of(back.text, "amr") == "BankID"
    finally:
        browser.close()


def test_an_eidas_person_without_a_norwegian_number(demo: RunningDemo) -> None:
    browser = ServiceBrowser()
    try:
        page = browser.start(demo.url("employee_service"), "idporten")
        back = browser.submit(
            page,
            {"action": "eidas", "eidas_person": "EE/NO/38001085718",
             "level": "eidas-loa-substantial", "locale": "nb"},
        )  # fmt: skip
        assert str(back.url).startswith(demo.url("employee_service")), back.url
        assert "EE/NO/38001085718" in text_of(back.text, "who")
        assert text_of(back.text, "acr") == "eidas-loa-substantial"
        assert text_of(back.text, "amr") == "eIDAS"
    finally:
        browser.close()


def test_entra_id(demo: RunningDemo) -> None:
    browser = ServiceBrowser()
    try:
        page = browser.start(demo.url("employee_service"), "entraid")
        assert str(page.url).startswith(demo.url("entra"))
        account = "13e32792-6b76-51c2-9e70-8cd065153def:29198fd6-8888-5ab7-b801-7e568ace2002"
        back = browser.submit(page, {"account": account, "locale": "nb"})  # pre-consented
        assert str(back.url).startswith(demo.url("employee_service")), back.url
        assert "jon.fjell@havbris.example" in text_of(back.text, "who")
        assert text_of(back.text, "acr") == "entraid"
        assert text_of(back.text, "amr").startswith("entraid_pwd")
    finally:
        browser.close()
