"""Logins through the mock ID-porten: a national eID with representation and the
picker, an eIDAS person without a Norwegian number, and one matched to a number."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.eids.conftest import (
    ALL,
    ALTINN,
    JONAS_EIDAS,
    LARS,
    LARS_EIDAS,
    REQUIRED,
    MakeDriver,
)
from tests.support.eid_driver import EidDriver, offered_orgnos
from tests.support.eid_stack import EidStack
from tests.support.login_driver import query_of
from tests.support.tokens import verified_claims


def id_token(driver: EidDriver, stack: EidStack, code: str) -> tuple[dict[str, Any], str]:
    response = driver.redeem(code)
    assert response.status_code == 200, response.text
    body = response.json()
    return verified_claims(stack.provider, body["id_token"]), body["access_token"]


def userinfo(stack: EidStack, access_token: str) -> dict[str, Any]:
    answer = httpx.get(
        f"{stack.provider}/userinfo", headers={"Authorization": f"Bearer {access_token}"}
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_national_login_with_representation_and_the_picker(
    make_driver: MakeDriver, stack: EidStack
) -> None:
    driver = make_driver()
    login_url = driver.start(ALTINN, acr_values=ALL, scope="openid profile")
    page = driver.upstream_via(login_url, "idporten")
    arrived = driver.arrive(driver.idporten_national(page, LARS, "bankid"))
    assert arrived.status_code == 303
    picker_url = arrived.headers["location"]
    assert "/organisation/" in picker_url
    picker = driver.browser.get(picker_url)
    assert picker.status_code == 200
    orgnos = offered_orgnos(picker.text)
    assert orgnos
    callback = driver.callback(driver.choose(picker_url, parties=[orgnos[0]]))
    assert callback["state"] == driver.state
    claims, access_token = id_token(driver, stack, callback["code"])
    assert claims["pid"] == LARS
    assert claims["acr"] == "high"  # BankID, returned in the short form
    assert claims["amr"] == ["BankID"]
    assert claims["name"] == "Lars Berg"
    assert (claims["given_name"], claims["family_name"]) == ("Lars", "Berg")
    [detail] = claims["authorization_details"]
    assert detail["authorized_parties"][0]["orgno"]["ID"] == f"0192:{orgnos[0]}"
    assert "email" not in claims
    assert "eidas_person_identifier" not in claims
    info = userinfo(stack, access_token)
    assert info["sub"] == claims["sub"]
    assert info["pid"] == LARS
    assert info["name"] == "Lars Berg"
    assert info["given_name"] == "Lars"


def test_names_need_scope_profile_but_name_does_not(make_driver: MakeDriver) -> None:
    driver = make_driver()
    page = driver.upstream_via(driver.start(acr_values="idporten-loa-substantial"), "idporten")
    callback = driver.callback(driver.arrive(driver.idporten_national(page, LARS, "minid-app")))
    id_claims = verified_claims(driver.base_url, driver.redeem(callback["code"]).json()["id_token"])
    assert id_claims["acr"] == "substantial"
    assert id_claims["amr"] == ["Minid-APP"]
    assert id_claims["name"] == "Lars Berg"
    assert "given_name" not in id_claims
    assert "family_name" not in id_claims


def back_to_service(driver: EidDriver, page: httpx.Response) -> httpx.Response:
    """Follow the error page's "back to the service" link."""
    link = page.text.split('class="button button--secondary" href="')[1].split('"')[0]
    answer = driver.browser.get(link)
    assert answer.status_code == 303
    return answer


def eidas_login(driver: EidDriver, identifier: str, details: Any = ALTINN, **params: str) -> Any:
    login_url = driver.start(details, acr_values="eidas-loa-substantial", **params)
    page = driver.upstream_via(login_url)  # only eIDAS asked for: straight to ID-porten
    return driver.arrive(driver.idporten_eidas(page, identifier, "eidas-loa-high"))


def test_eidas_person_without_a_norwegian_number(make_driver: MakeDriver, stack: EidStack) -> None:
    driver = make_driver()
    arrived = eidas_login(driver, JONAS_EIDAS)
    # Altinn knows people by number only: no picker, the object with only `type`
    callback = driver.callback(driver.onwards(arrived))
    claims, access_token = id_token(driver, stack, callback["code"])
    assert "pid" not in claims
    assert claims["acr"] == "eidas-loa-high"
    assert claims["amr"] == ["eIDAS"]
    assert claims["eidas_person_identifier"] == JONAS_EIDAS
    assert (claims["given_name"], claims["family_name"]) == ("Jonas", "Müller")
    assert claims["birthdate"] == "1979-11-02"
    assert claims["name"] == "Jonas Müller"
    assert claims["authorization_details"] == [{"type": "ansattporten:altinn:resource"}]
    info = userinfo(stack, access_token)
    assert "pid" not in info
    assert info["eidas_person_identifier"] == JONAS_EIDAS
    again = make_driver()
    callback = again.callback(again.onwards(eidas_login(again, JONAS_EIDAS)))
    assert id_token(again, stack, callback["code"])[0]["sub"] == claims["sub"]  # stable


def test_eidas_person_without_a_number_when_representation_is_required(
    make_driver: MakeDriver,
) -> None:
    driver = make_driver()
    page = eidas_login(driver, JONAS_EIDAS, REQUIRED)
    assert page.status_code == 303
    assert "/organisation/" in page.headers["location"]
    refused = driver.browser.get(page.headers["location"])
    assert refused.status_code == 403
    assert "norsk fødselsnummer" in refused.text  # error.identifier_missing, in nb
    assert query_of(back_to_service(driver, refused).headers["location"])["error"] == (
        "access_denied"
    )


def test_eidas_person_matched_to_a_number_gets_pid_and_the_picker(
    make_driver: MakeDriver, stack: EidStack
) -> None:
    driver = make_driver()
    arrived = eidas_login(driver, LARS_EIDAS, scope="openid profile")
    picker_url = arrived.headers["location"]
    assert "/organisation/" in picker_url
    picker = driver.browser.get(picker_url)
    orgnos = offered_orgnos(picker.text)
    assert orgnos, "the number holds organisations in the mock Altinn"
    callback = driver.callback(driver.choose(picker_url, parties=[orgnos[0]]))
    claims, _ = id_token(driver, stack, callback["code"])
    assert claims["pid"] == LARS
    assert claims["eidas_person_identifier"] == LARS_EIDAS
    assert claims["acr"] == "eidas-loa-high"
    assert claims["amr"] == ["eIDAS"]
    assert claims["authorization_details"][0]["authorized_parties"]
    national = make_driver()
    page = national.upstream_via(national.start(acr_values=ALL), "idporten")
    done = national.callback(national.arrive(national.idporten_national(page, LARS)))
    national_sub = id_token(national, stack, done["code"])[0]["sub"]
    assert national_sub != claims["sub"]  # the eIDAS identifier is the eID's stable one
