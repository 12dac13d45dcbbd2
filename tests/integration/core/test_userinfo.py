"""GET|POST /userinfo: 200 with the person's claims for a valid access token; 401 with
`WWW-Authenticate: Bearer error="invalid_token"` for a missing or garbage one (an
expired one: test_expiry.py)."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.core.conftest import MakeDriver
from tests.support.login_driver import LoginDriver


def call_userinfo(driver: LoginDriver, method: str, authorization: str | None) -> httpx.Response:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return driver.service.request(method, "/userinfo", headers=headers)


def assert_invalid_token(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert response.json()["error"] == "invalid_token"
    assert "pid" not in response.text


@pytest.fixture
def access_token(make_driver: MakeDriver, testid_people: dict[str, str]) -> str:
    driver = make_driver()
    response = driver.redeem(driver.login_for_code(testid_people["plain_employee"]))
    token: str = response.json()["access_token"]
    return token


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_valid_token_gives_the_person(
    make_driver: MakeDriver,
    testid_people: dict[str, str],
    access_token: str,
    method: str,
    scheme: str,
) -> None:
    driver = make_driver()
    response = call_userinfo(driver, method, f"{scheme} {access_token}")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["pid"] == testid_people["plain_employee"]
    assert len(body["sub"]) == 43
    assert body["acr"] == "substantial"


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer  \t x",
        "Bearer garbage",
        "Bearer a.b.c",
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
        "Basic Y29uZmlkZW50aWFsLXNlcnZpY2U6Y29uZmlkZW50aWFsLXNlY3JldC0wMTIzNDU2Nzg5",
        "Token abc",
        "Bearer " + "A" * 20000,
    ],
    ids=lambda value: "none" if value is None else value[:30],
)
def test_missing_or_garbage_token_is_401(
    make_driver: MakeDriver, method: str, authorization: str | None
) -> None:
    assert_invalid_token(call_userinfo(make_driver(), method, authorization))


def test_token_in_the_query_is_not_accepted(make_driver: MakeDriver, access_token: str) -> None:
    driver = make_driver()
    assert_invalid_token(driver.service.get("/userinfo", params={"access_token": access_token}))


@pytest.mark.parametrize(("ui_locales", "locale"), [(None, "nb"), ("nn", "nn"), ("se en", "se")])
def test_userinfo_says_the_language_of_the_login(
    make_driver: MakeDriver, testid_people: dict[str, str], ui_locales: str | None, locale: str
) -> None:
    """ID-porten's userinfo answers `sub`, `pid` and `locale`: the login's language."""
    driver = make_driver()
    code = driver.login_for_code(testid_people["plain_employee"], ui_locales=ui_locales)
    token = driver.redeem(code).json()["access_token"]

    body = call_userinfo(driver, "GET", f"Bearer {token}").json()

    assert body["locale"] == locale
