"""The eID selector: which eIDs a request's `acr_values` offers, skipped when one fits,
and what discovery says the enabled eIDs serve."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.eids.conftest import ALL, LARS, MakeDriver, stack_for
from tests.support.eid_driver import EidDriver
from tests.support.eid_stack import EidStack
from tests.support.login_driver import query_of

IDPORTEN_LEVELS = [
    "idporten-loa-substantial",
    "idporten-loa-high",
    "eidas-loa-substantial",
    "eidas-loa-high",
]


@pytest.mark.parametrize(
    ("acr_values", "offered"),
    [
        (None, ["testid", "idporten"]),
        ("idporten-loa-substantial", ["testid", "idporten"]),
        ("idporten-loa-high", ["testid", "idporten"]),
        ("substantial entraid", ["testid", "idporten", "entraid"]),
        ("idporten-loa-high eidas-loa-substantial", ["testid", "idporten"]),
        (ALL, ["testid", "idporten", "entraid"]),
        ("eidas-loa-high entraid", ["idporten", "entraid"]),
    ],
)
def test_the_selector_offers_the_eids_that_fit(
    make_driver: MakeDriver, acr_values: str | None, offered: list[str]
) -> None:
    driver = make_driver()
    login_url = driver.start(acr_values=acr_values)
    assert driver.eid_names(login_url) == offered


def test_entraid_alone_goes_straight_to_entra(make_driver: MakeDriver, stack: EidStack) -> None:
    driver = make_driver()
    answer = driver.browser.get(driver.start(acr_values="entraid"))
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert location.startswith(f"{stack.entra.base_url}/organizations/oauth2/v2.0/authorize?")
    sent = query_of(location)
    assert sent["code_challenge_method"] == "S256"
    assert sent["redirect_uri"] == f"{stack.provider}/eid/entraid/callback"
    assert "acr_values" not in sent  # Entra knows no such levels
    assert sent["scope"] == "openid profile email"


def test_eidas_alone_goes_straight_to_the_eidas_path(
    make_driver: MakeDriver, stack: EidStack
) -> None:
    driver = make_driver()
    page = driver.upstream_via(driver.start(acr_values="eidas-loa-substantial"))
    assert page.url.startswith(stack.idporten.issuer)
    assert 'value="eidas"' in page.response.text
    assert 'value="national"' not in page.response.text  # only the foreign login


def test_the_upstream_gets_par_pkce_language_and_the_level(
    make_driver: MakeDriver, stack: EidStack
) -> None:
    driver = make_driver()
    login_url = driver.start(acr_values="idporten-loa-high", ui_locales="nn")
    answer = driver.choose_eid(login_url, "idporten")
    pushed = query_of(answer.headers["location"])
    assert set(pushed) == {"client_id", "request_uri"}  # PAR: nothing else in the URL
    assert pushed["request_uri"].startswith("urn:idporten:")
    page = driver.to_upstream(answer)
    assert '<html lang="nn"' in page.response.text
    assert 'value="bankid"' in page.response.text
    assert 'value="minid-otc"' not in page.response.text  # high only


def test_testid_from_the_selector(make_driver: MakeDriver) -> None:
    driver = make_driver()
    login_url = driver.start(acr_values=ALL)
    chosen = driver.choose_eid(login_url, "testid")
    assert chosen.status_code == 303
    assert chosen.headers["location"].endswith("/with/testid")
    page = driver.browser.get(chosen.headers["location"])
    assert page.status_code == 200
    assert 'name="pid"' in page.text
    assert f'href="{login_url.split(driver.base_url, 1)[-1]}"' in page.text  # back to the choice
    callback = driver.callback(driver.login(chosen.headers["location"], LARS))
    token = driver.redeem(callback["code"]).json()
    assert token["token_type"] == "Bearer"


def test_an_eid_the_request_does_not_allow_cannot_be_chosen(make_driver: MakeDriver) -> None:
    driver = make_driver()
    login_url = driver.start(acr_values="idporten-loa-substantial")
    answer = driver.choose_eid(login_url, "entraid")
    assert answer.status_code == 400
    assert 'name="eid" value="entraid"' not in answer.text


def test_one_eid_means_no_selector(
    tmp_path_factory: pytest.TempPathFactory, mock_altinn: str
) -> None:
    eids = {"testid": None, "entraid": None}
    with stack_for(tmp_path_factory, mock_altinn, eids=eids) as stack:
        metadata = httpx.get(f"{stack.provider}/.well-known/openid-configuration").json()
        assert metadata["acr_values_supported"] == [*IDPORTEN_LEVELS, "substantial", "high"]
        driver = EidDriver(stack.provider)
        answer = driver.browser.get(driver.start())
        driver.close()
        assert answer.status_code == 303
        assert answer.headers["location"].startswith(stack.idporten.issuer)


def test_discovery_lists_the_levels_and_claims_of_the_enabled_eids(stack: EidStack) -> None:
    metadata = httpx.get(f"{stack.provider}/.well-known/openid-configuration").json()
    assert metadata["acr_values_supported"] == [*IDPORTEN_LEVELS, "entraid", "substantial", "high"]
    assert {"name", "email", "groups", "eidas_person_identifier", "birthdate"} <= set(
        metadata["claims_supported"]
    )
