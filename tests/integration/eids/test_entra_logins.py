"""Logins through the mock Entra ID (multi-tenant): the claims tokens carry, groups
cut at 20, e-mail only where Microsoft vouches for its domain, the tenant allow-list,
and a tenant that blocks the application."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.eids.conftest import ALL, ALTINN, MakeDriver, stack_for
from tests.support.eid_driver import EidDriver
from tests.support.eid_stack import FJORDVIND, HAVBRIS, EidStack
from tests.support.login_driver import query_of
from tests.support.tokens import verified_claims

NORA = "f0abf0ba-bcc0-56e3-8d06-3f7f4ea3ccb1"  # password and MFA, three groups
SINDRE = "12389352-b5c2-56c9-98dd-a15e610ab319"  # 25 groups
EVA = "0eeed0e2-7111-5e8f-bd87-31ab7e98eed7"  # no mailbox
MATS = "051b4d94-c6ec-5d26-99d4-987d982f6aab"  # e-mail in a domain his tenant does not own
JON = "29198fd6-8888-5ab7-b801-7e568ace2002"  # Havbris kommune
BLOCKED = ("a845e9ae-0130-5733-af11-66a96ca913a8", "b44ba67f-55e4-5e47-91cf-e2aff3f3a6d4")


def entra_login(
    driver: EidDriver, tenant: str, oid: str, *, details: Any = None, acr: str = ALL, **params: str
) -> Any:
    login_url = driver.start(details, acr_values=acr, **params)
    page = driver.upstream_via(login_url, None if acr == "entraid" else "entraid")
    return driver.onwards(driver.arrive(driver.entra_sign_in(page, tenant, oid)))


def tokens(driver: EidDriver, response: Any) -> dict[str, Any]:
    callback = driver.callback(response)
    answer = driver.redeem(callback["code"])
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_an_entra_login_and_its_claims(make_driver: MakeDriver, stack: EidStack) -> None:
    driver = make_driver()
    body = tokens(driver, entra_login(driver, FJORDVIND, NORA, scope="openid profile"))
    claims = verified_claims(stack.provider, body["id_token"])
    assert claims["acr"] == "entraid"
    assert claims["amr"] == ["entraid_pwd", "entraid_mfa"]
    assert claims["email"] == "nora.berg@fjordvind.example"
    assert claims["name"] == "Nora Berg"
    assert (claims["given_name"], claims["family_name"]) == ("Nora", "Berg")
    assert len(claims["groups"]) == 3
    assert "pid" not in claims
    assert "tid" not in claims
    assert "oid" not in claims
    access = verified_claims(stack.provider, body["access_token"])
    assert access["acr"] == "entraid"
    assert "pid" not in access
    again = make_driver()
    second = tokens(again, entra_login(again, FJORDVIND, NORA))
    assert verified_claims(stack.provider, second["id_token"])["sub"] == claims["sub"]


def test_groups_are_cut_at_twenty(make_driver: MakeDriver, stack: EidStack) -> None:
    driver = make_driver()
    body = tokens(driver, entra_login(driver, FJORDVIND, SINDRE))
    groups = verified_claims(stack.provider, body["id_token"])["groups"]
    everything = stack.entra.fixture.tenant(FJORDVIND).user(SINDRE).groups  # type: ignore[union-attr]
    assert len(everything) == 25
    assert groups == everything[:20]


def test_an_email_microsoft_does_not_vouch_for_is_not_passed_on(
    make_driver: MakeDriver, stack: EidStack
) -> None:
    for oid in (MATS, EVA):
        driver = make_driver()
        claims = verified_claims(
            stack.provider, tokens(driver, entra_login(driver, FJORDVIND, oid))["id_token"]
        )
        assert "email" not in claims
        assert claims["acr"] == "entraid"
        assert claims["name"]


def test_representation_for_an_entra_user_at_altinn_is_only_the_type(
    make_driver: MakeDriver, stack: EidStack
) -> None:
    driver = make_driver()
    body = tokens(driver, entra_login(driver, FJORDVIND, NORA, details=ALTINN))
    assert body["authorization_details"] == [{"type": "ansattporten:altinn:resource"}]


def test_a_tenant_that_blocks_the_application_returns_to_the_selector(
    make_driver: MakeDriver,
) -> None:
    driver = make_driver()
    login_url = driver.start(acr_values=ALL)
    page = driver.upstream_via(login_url, "entraid")
    back = driver.arrive(driver.entra_sign_in(page, *BLOCKED))
    assert back.status_code == 303
    selector = driver.browser.get(back.headers["location"])
    assert selector.status_code == 200
    assert "Microsoft Entra ID" in selector.text
    assert 'role="status"' in selector.text
    assert driver.eid_names(login_url) == ["testid", "idporten", "entraid"]  # choose again


def test_entra_alone_and_blocked_goes_back_to_the_service(make_driver: MakeDriver) -> None:
    driver = make_driver()
    back = entra_login(driver, *BLOCKED, acr="entraid")
    assert back.status_code == 303
    answer = query_of(back.headers["location"])
    assert back.headers["location"].startswith(driver.redirect_uri)
    assert answer["error"] == "access_denied"
    assert answer["state"] == driver.state


@pytest.fixture(scope="module")
def fjordvind_only(
    tmp_path_factory: pytest.TempPathFactory, mock_altinn: str
) -> Iterator[EidStack]:
    with stack_for(
        tmp_path_factory, mock_altinn, eids={"entraid": {"allowed_tenants": [FJORDVIND]}}
    ) as running:
        yield running


def test_the_tenant_allow_list(fjordvind_only: EidStack) -> None:
    allowed = EidDriver(fjordvind_only.provider)
    assert "code" in allowed.callback(entra_login(allowed, FJORDVIND, NORA))
    refused_driver = EidDriver(fjordvind_only.provider)
    refused = entra_login(refused_driver, HAVBRIS, JON)
    assert refused.status_code == 403
    assert "Microsoft Entra ID" in refused.text
    assert "code=" not in refused.text
    link = refused.text.split('class="button button--secondary" href="')[1].split('"')[0]
    back = refused_driver.browser.get(link)
    assert query_of(back.headers["location"])["error"] == "access_denied"
    allowed.close()
    refused_driver.close()
