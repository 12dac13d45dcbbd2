"""The employee service logs a person in, and calls the example API with the access
token; the API trusts the token only after checking it, and only for the resource."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
from joserfc import jws, jwt
from joserfc.jwk import RSAKey

from examples.example_api.app import RESOURCE
from tests.support.example_stack import ExampleStack
from tests.support.login_driver import LoginDriver
from tests.support.service_browser import ServiceBrowser, offered, text_of

APPS_TEST = [{"type": "ansattporten:altinn:resource", "resource": RESOURCE}]


def api_answer(page: httpx.Response) -> tuple[int, dict[str, Any]]:
    assert page.status_code == 200, page.text
    return int(text_of(page.text, "api-status")), json.loads(text_of(page.text, "api"))


def test_api_answers_for_the_chosen_organisation(
    examples: ExampleStack, browser: ServiceBrowser, altinn_people: dict[str, str]
) -> None:
    picker = browser.log_in(examples.employee, altinn_people["main_with_subunits"])
    assert picker.url.path.startswith("/organisation/")
    choices = offered(picker.text)
    assert len(choices) == 4
    page = browser.choose(picker, choices[1])

    assert str(page.url).startswith(f"{examples.employee}/callback")
    assert f"data-orgno='{choices[1]}'" in page.text
    status, body = api_answer(page)
    assert status == 200
    assert body["resource"] == RESOURCE
    assert [party["orgno"] for party in body["acting_for"]] == [choices[1]]
    assert body["acting_for"][0]["name"]


def test_person_acting_as_themself_is_refused_by_the_api(
    examples: ExampleStack, browser: ServiceBrowser, altinn_people: dict[str, str]
) -> None:
    page = browser.log_in(examples.employee, altinn_people["no_parties"])
    assert str(page.url).startswith(f"{examples.employee}/callback")
    status, body = api_answer(page)
    assert status == 403
    assert body["error"] == "insufficient_scope"


def test_token_for_another_resource_is_refused_by_the_api(
    examples: ExampleStack, browser: ServiceBrowser, altinn_people: dict[str, str]
) -> None:
    picker = browser.log_in(examples.other_resource, altinn_people["main_with_subunits"])
    page = browser.choose(picker, offered(picker.text)[0])
    details = json.loads(text_of(page.text, "details"))
    assert details[0]["resource"] == "urn:altinn:resource:resource_enkeltrettighet"
    assert details[0]["authorized_parties"]
    status, body = api_answer(page)
    assert status == 403
    assert body["error"] == "insufficient_scope"


def tokens_for(provider: str, pid: str) -> tuple[dict[str, Any], str]:
    """A real token response (and the chosen orgno) through the provider's test client."""
    driver = LoginDriver(provider)
    try:
        login = driver.login(driver.start(APPS_TEST), pid)
        assert login.status_code == 303, login.text
        picker = login.headers["location"]
        orgno = offered(driver.browser.get(picker).text)[0]
        code = driver.callback(driver.choose(picker, parties=[orgno]))["code"]
        redeemed = driver.redeem(code)
        assert redeemed.status_code == 200, redeemed.text
        return redeemed.json(), orgno
    finally:
        driver.close()


def call(api: str, authorization: str | None) -> httpx.Response:
    headers = {"Authorization": authorization} if authorization else {}
    return httpx.get(f"{api}/api/organisations", headers=headers, timeout=10)


def tampered(token: str) -> str:
    """The token with its payload changed (another organisation), signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["authorization_details"][0]["authorized_parties"][0]["orgno"]["ID"] = "0192:999999999"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def signed_by_someone_else(token: str) -> str:
    """The same header and claims, signed with a key the provider never published."""
    header = jws.extract_compact(token.encode()).protected
    claims = json.loads(jws.extract_compact(token.encode()).payload)
    return jwt.encode(header, claims, RSAKey.generate_key(2048, parameters={"kid": header["kid"]}))


def test_api_checks_the_token_itself(examples: ExampleStack, altinn_people: dict[str, str]) -> None:
    tokens, orgno = tokens_for(examples.provider, altinn_people["main_with_subunits"])
    good = call(examples.api, f"Bearer {tokens['access_token']}")
    assert good.status_code == 200, good.text
    assert good.json()["acting_for"][0]["orgno"] == orgno

    absent = call(examples.api, None)
    assert absent.status_code == 401
    assert absent.headers["WWW-Authenticate"].startswith("Bearer ")

    for bad in (
        tampered(tokens["access_token"]),
        signed_by_someone_else(tokens["access_token"]),
        tokens["id_token"],  # a valid signature, but not an access token (typ)
        "not-a-jwt",
    ):
        refused = call(examples.api, f"Bearer {bad}")
        assert refused.status_code == 401, bad
        assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
        assert refused.json()["error"] == "invalid_token"
