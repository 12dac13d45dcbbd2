"""The mock ID-porten over real HTTP: discovery, PAR, authorize with the test-person page,
token with PKCE, id_token claims for national and eIDAS people, cancel, RFC 9207 `iss`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ansattporten.upstream_mocks.idporten.app import MockIdPorten
from tests.integration.upstream_mocks.conftest import REDIRECT, SECRET, Browser
from tests.integration.upstream_mocks.idporten_steps import (
    LARS,
    eidas,
    full_login,
    log_in,
    national,
    redeem,
    start,
    verify,
)

Make = Any


def test_discovery_publishes_what_id_porten_does(idporten: MockIdPorten) -> None:
    document = httpx.get(f"{idporten.issuer}/.well-known/openid-configuration").json()
    assert document["issuer"] == idporten.issuer
    assert document["pushed_authorization_request_endpoint"] == f"{idporten.issuer}/par"
    assert document["authorization_response_iss_parameter_supported"] is True
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["acr_values_supported"] == [
        "idporten-loa-substantial", "idporten-loa-high",
        "eidas-loa-substantial", "eidas-loa-high",
    ]  # fmt: skip
    assert "private_key_jwt" in document["token_endpoint_auth_methods_supported"]
    keys = httpx.get(document["jwks_uri"]).json()["keys"]
    assert keys
    assert all(k["alg"] == "RS256" and k["use"] == "sig" and k["x5c"] for k in keys)
    assert not any({"d", "p", "q"} & set(k) for k in keys)


def test_national_login_with_bankid(idporten: MockIdPorten, browser_for: Make) -> None:
    claims = full_login(idporten, browser_for(idporten.issuer), national(LARS, "bankid"))
    assert claims["iss"] == idporten.issuer
    assert claims["aud"] == "basic-broker"
    assert claims["pid"] == LARS
    assert (claims["acr"], claims["amr"]) == ("idporten-loa-high", ["BankID"])
    assert claims["exp"] - claims["iat"] == 120
    assert claims["locale"] == "nb"
    assert claims["sid"]  # the client is registered with frontchannel_logout_session_required
    assert (claims["given_name"], claims["family_name"], claims["name"]) == (
        "Lars", "Berg", "Lars Berg",
    )  # fmt: skip
    assert len(claims["sub"]) >= 43
    assert LARS not in claims["sub"]


def test_pushed_request_then_minid(idporten: MockIdPorten, browser_for: Make) -> None:
    claims = full_login(
        idporten, browser_for(idporten.issuer), national("09868841440", "minid-otc"), pushed=True
    )
    assert (claims["acr"], claims["amr"]) == ("idporten-loa-substantial", ["Minid-OTC"])


def test_sub_is_pairwise_and_stable(idporten: MockIdPorten, browser_for: Make) -> None:
    first = full_login(idporten, browser_for(idporten.issuer), national())
    again = full_login(idporten, browser_for(idporten.issuer), national(method="testid-high"))
    assert first["sub"] == again["sub"]
    started = start(idporten, client_id="public-broker")
    answer = log_in(browser_for(idporten.issuer), started, national())
    response = redeem(idporten, answer["code"], started.verifier, client_id="public-broker",
                      how="none")  # fmt: skip
    assert response.status_code == 200, response.text
    other = verify(idporten, response.json()["id_token"])
    assert other["sub"] != first["sub"]
    assert other["pid"] == LARS
    assert "name" not in other  # no profile scope


@pytest.mark.parametrize(
    ("identifier", "pid"),
    [
        ("SE/NO/195906231234", "23865938772"),  # matched to a number with organisations
        ("FI/NO/120688-951K", "52868840072"),  # matched to a D-number
        ("DE/NO/7a3c9f4e2b1d8c6a5f0e", None),  # not matched
        ("IT/NO/TINIT-RSSMRA85M41H501Z", None),
    ],
)
def test_eidas_people(
    idporten: MockIdPorten, browser_for: Make, identifier: str, pid: str | None
) -> None:
    claims = full_login(
        idporten, browser_for(idporten.issuer), eidas(identifier, "eidas-loa-high"),
        acr_values="eidas-loa-high",
    )  # fmt: skip
    assert (claims["acr"], claims["amr"]) == ("eidas-loa-high", ["eIDAS"])
    assert claims["eidas_person_identifier"] == identifier
    assert {"given_name", "family_name", "birthdate"} <= set(claims)
    assert claims.get("pid") == pid


def test_eidas_sub_follows_the_eidas_identifier(idporten: MockIdPorten, browser_for: Make) -> None:
    """A matched eIDAS login and a BankID login of the same number are different subjects
    at ID-porten (the eIDAS `sub` is derived from the eIDAS identifier)."""
    by_eidas = full_login(
        idporten, browser_for(idporten.issuer), eidas("SE/NO/195906231234"),
        acr_values="eidas-loa-substantial",
    )  # fmt: skip
    by_bankid = full_login(idporten, browser_for(idporten.issuer), national(LARS))
    assert by_eidas["pid"] == by_bankid["pid"] == LARS
    assert by_eidas["sub"] != by_bankid["sub"]


def test_the_page_offers_what_acr_values_allow(idporten: MockIdPorten, browser_for: Make) -> None:
    browser = browser_for(idporten.issuer)
    only_eidas = browser.open(start(idporten, acr_values="eidas-loa-substantial").url)
    assert isinstance(only_eidas, httpx.Response)
    assert 'value="eidas"' in only_eidas.text
    assert 'value="national"' not in only_eidas.text
    high = browser.open(start(idporten, acr_values="idporten-loa-high").url)
    assert isinstance(high, httpx.Response)
    assert 'value="bankid"' in high.text
    assert 'value="minid-otc"' not in high.text
    assert 'value="eidas"' not in high.text
    both = browser.open(
        start(idporten, acr_values="idporten-loa-substantial eidas-loa-substantial").url
    )
    assert isinstance(both, httpx.Response)
    assert 'value="national"' in both.text
    assert 'value="eidas"' in both.text
    assert 'value="minid-otc"' in both.text


def test_a_method_below_the_requested_level_is_refused(
    idporten: MockIdPorten, browser_for: Make
) -> None:
    browser = browser_for(idporten.issuer)
    page = browser.open(start(idporten, acr_values="idporten-loa-high").url)
    assert isinstance(page, httpx.Response)
    again = browser.submit(str(page.url), {"locale": "nb", **national(method="minid-otc")})
    assert isinstance(again, httpx.Response)
    assert again.status_code == 400
    assert "Velg en innloggingsmetode" in again.text


def test_cancel_is_access_denied_with_state_and_iss(
    idporten: MockIdPorten, browser_for: Make
) -> None:
    started = start(idporten)
    answer = log_in(browser_for(idporten.issuer), started, {"action": "cancel"})
    assert answer["error"] == "access_denied"
    assert (answer["state"], answer["iss"]) == (started.state, idporten.issuer)
    assert "code" not in answer


def test_form_post_response_mode(idporten: MockIdPorten, browser_for: Make) -> None:
    browser = browser_for(idporten.issuer)
    started = start(idporten, response_mode="form_post")
    page = browser.open(started.url)
    assert isinstance(page, httpx.Response)
    posted = browser.submit(str(page.url), {"locale": "nb", **national()})
    assert isinstance(posted, httpx.Response)
    assert posted.status_code == 200
    assert f'action="{REDIRECT}"' in posted.text
    assert 'name="code"' in posted.text
    assert f'value="{started.state}"' in posted.text


def test_userinfo_answers_for_the_access_token(idporten: MockIdPorten, browser_for: Make) -> None:
    started = start(idporten)
    answer = log_in(browser_for(idporten.issuer), started, national())
    token = redeem(idporten, answer["code"], started.verifier).json()
    info = httpx.get(
        f"{idporten.issuer}/userinfo", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert info.status_code == 200
    assert info.json()["pid"] == LARS
    assert info.json()["sub"] == verify(idporten, token["id_token"])["sub"]
    refused = httpx.get(f"{idporten.issuer}/userinfo", headers={"Authorization": "Bearer nope"})
    assert refused.status_code == 401


def test_pages_follow_ui_locales(idporten: MockIdPorten, browser_for: Make) -> None:
    browser = browser_for(idporten.issuer)
    for locale, text in [("nn", "Innloggingsmetode"), ("en", "Login method"), ("se", "Giella")]:
        page = browser.open(start(idporten, ui_locales=locale).url)
        assert isinstance(page, httpx.Response)
        assert f'<html lang="{locale}">' in page.text
        assert text in page.text
    english = browser.open(start(idporten, ui_locales="en").url)
    assert isinstance(english, httpx.Response)
    switched = browser.open(f"{english.url}?locale=nb")
    assert isinstance(switched, httpx.Response)
    assert '<html lang="nb">' in switched.text


def test_secret_sent_twice_is_refused(idporten: MockIdPorten, browser_for: Make) -> None:
    started = start(idporten)
    answer = log_in(browser_for(idporten.issuer), started, national())
    response = httpx.post(
        f"{idporten.issuer}/token",
        data={"grant_type": "authorization_code", "code": answer["code"], "client_id":
              "basic-broker", "client_secret": SECRET, "redirect_uri": REDIRECT,
              "code_verifier": started.verifier},
        auth=("basic-broker", SECRET),
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_login_link_in_another_browser_is_refused(
    idporten: MockIdPorten, browser_for: Make
) -> None:
    page = browser_for(idporten.issuer).open(start(idporten).url)
    assert isinstance(page, httpx.Response)
    stranger: Browser = browser_for(idporten.issuer)
    stolen = stranger.open(str(page.url))
    assert isinstance(stolen, httpx.Response)
    assert stolen.status_code == 400
    submitted = stranger.submit(str(page.url), national())
    assert isinstance(submitted, httpx.Response)
    assert submitted.status_code == 400


def test_a_login_page_can_be_submitted_once(idporten: MockIdPorten, browser_for: Make) -> None:
    browser = browser_for(idporten.issuer)
    page = browser.open(start(idporten).url)
    assert isinstance(page, httpx.Response)
    assert isinstance(browser.submit(str(page.url), national()), dict)
    again = browser.submit(str(page.url), national())
    assert isinstance(again, httpx.Response)
    assert again.status_code == 400
