"""POST /token, the authorization code grant: the code is single use (and a reused code
revokes what the first redemption got), bound to its client, its redirect_uri and its
PKCE verifier, and redeemed exactly once even under concurrency. Clients authenticate
with their registered method only. (Code expiry: test_expiry.py.)"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.integration.core.conftest import NO_RATE_LIMIT, MakeDriver
from tests.support.login_driver import TLS, LoginDriver
from tests.support.oauth_checks import assert_json_error
from tests.support.provider import RunningProvider, run_provider

OTHER_VERIFIER = "xyo94uhy3zKvgB0NJwLms86SwcjtWviEOpkBnGgaLlo"


@pytest.fixture
def pid(testid_people: dict[str, str]) -> str:
    return testid_people["plain_employee"]


def introspect(driver: LoginDriver, token: str) -> dict[str, object]:
    response = driver.service.post(
        "/token/introspect",
        data={"token": token},
        auth=("confidential-service", "confidential-secret-0123456789"),
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def userinfo_status(driver: LoginDriver, token: str) -> int:
    response = driver.service.get("/userinfo", headers={"Authorization": f"Bearer {token}"})
    return response.status_code


@pytest.mark.parametrize("client_id", ["confidential-service", "post-service", "public-spa"])
def test_each_registered_method_redeems(make_driver: MakeDriver, pid: str, client_id: str) -> None:
    driver = make_driver(client_id)
    response = driver.redeem(driver.login_for_code(pid))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert {"access_token", "id_token", "expires_in", "scope"} <= set(body)


def test_public_client_redeems_with_pkce_only(make_driver: MakeDriver, pid: str) -> None:
    driver = make_driver("public-spa")
    code = driver.login_for_code(pid)
    response = driver.service.post(
        "/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": "public-spa",
            "redirect_uri": driver.redirect_uri,
            "code_verifier": driver.verifier,
        },
    )
    assert response.status_code == 200, response.text
    assert "authorization" not in response.request.headers


@pytest.fixture(scope="module")
def no_retry_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProvider]:
    """No retry window (`token_retry_seconds = 0`): a code presented again at once is
    reuse, not a retry (tests/integration/security/test_code_reuse.py covers the window)."""
    database = tmp_path_factory.mktemp("no-retry") / "ansattporten.db"
    with run_provider(f"sqlite:///{database}", {**NO_RATE_LIMIT, "token_retry_seconds": 0}) as p:
        yield p


def test_code_reuse_is_refused_and_revokes_the_first_tokens(
    make_driver: MakeDriver, no_retry_provider: RunningProvider, pid: str
) -> None:
    driver = make_driver(base_url=no_retry_provider.base_url)
    code = driver.login_for_code(pid)
    first = driver.redeem(code)
    assert first.status_code == 200, first.text
    access_token = first.json()["access_token"]
    assert introspect(driver, access_token)["active"] is True
    assert userinfo_status(driver, access_token) == 200

    reused = driver.redeem(code)
    assert_json_error(reused, "invalid_grant")
    assert reused.headers["cache-control"] == "no-store"

    assert introspect(driver, access_token) == {"active": False}
    assert userinfo_status(driver, access_token) == 401


def test_other_logins_survive_a_reused_code(
    make_driver: MakeDriver, no_retry_provider: RunningProvider, pid: str
) -> None:
    """Revocation after reuse hits the leaked grant only."""
    driver = make_driver(base_url=no_retry_provider.base_url)
    other = driver.redeem(driver.login_for_code(pid)).json()["access_token"]
    code = driver.login_for_code(pid)
    assert driver.redeem(code).status_code == 200
    assert driver.redeem(code).status_code == 400
    assert introspect(driver, other)["active"] is True


def test_wrong_code_verifier_is_invalid_grant(make_driver: MakeDriver, pid: str) -> None:
    driver = make_driver()
    response = driver.redeem(driver.login_for_code(pid), code_verifier=OTHER_VERIFIER)
    assert_json_error(response, "invalid_grant")


def test_code_challenge_itself_is_not_a_verifier(make_driver: MakeDriver, pid: str) -> None:
    driver = make_driver()
    code = driver.login_for_code(pid)
    challenge = driver.params()["code_challenge"]
    assert_json_error(driver.redeem(code, code_verifier=challenge), "invalid_grant")


def test_missing_code_verifier_is_invalid_request(make_driver: MakeDriver, pid: str) -> None:
    driver = make_driver()
    response = driver.redeem(driver.login_for_code(pid), code_verifier=None)
    assert_json_error(response, "invalid_request")


@pytest.mark.parametrize(
    "redirect_uri",
    [
        None,
        "http://service.test/callback?x=1",
        "http://service.test/callback/",
        "http://second.test/callback",
    ],
)
def test_redirect_uri_must_match(
    make_driver: MakeDriver, pid: str, redirect_uri: str | None
) -> None:
    driver = make_driver()
    response = driver.redeem(driver.login_for_code(pid), redirect_uri=redirect_uri)
    assert_json_error(response, "invalid_grant")


def test_registered_query_variant_must_match_too(make_driver: MakeDriver, pid: str) -> None:
    driver = make_driver()
    code = driver.login_for_code(pid, redirect_uri="http://service.test/callback?x=1")
    assert_json_error(driver.redeem(code), "invalid_grant")  # redeemed with .../callback


def test_code_of_another_client_is_invalid_grant(make_driver: MakeDriver, pid: str) -> None:
    owner = make_driver()
    thief = make_driver("second-service")
    code = owner.login_for_code(pid)
    thief.verifier = owner.verifier
    response = thief.redeem(code, redirect_uri=owner.redirect_uri)
    assert_json_error(response, "invalid_grant")


def test_wrong_secret_is_401_with_www_authenticate(make_driver: MakeDriver, pid: str) -> None:
    driver = make_driver()
    code = driver.login_for_code(pid)
    response = driver.service.post(
        "/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": driver.redirect_uri,
            "code_verifier": driver.verifier,
        },
        auth=("confidential-service", "wrong-secret"),
    )
    assert_json_error(response, "invalid_client", 401)
    assert response.headers["www-authenticate"].lower().startswith("basic")
    assert response.headers["cache-control"] == "no-store"
    # the failed attempt did not burn the code
    assert driver.redeem(code).status_code == 200


@pytest.mark.parametrize(
    ("client_id", "form", "auth"),
    [
        (
            "confidential-service",
            {
                "client_id": "confidential-service",
                "client_secret": "confidential-secret-0123456789",
            },
            None,
        ),
        ("confidential-service", {"client_id": "confidential-service"}, None),
        ("post-service", {}, ("post-service", "post-secret-0123456789")),
        ("post-service", {"client_id": "post-service", "client_secret": "wrong"}, None),
        ("public-spa", {"client_id": "public-spa", "client_secret": "guess"}, None),
        ("public-spa", {}, ("public-spa", "guess")),
    ],
)
def test_client_must_authenticate_with_its_registered_method(
    make_driver: MakeDriver,
    pid: str,
    client_id: str,
    form: dict[str, str],
    auth: tuple[str, str] | None,
) -> None:
    driver = make_driver(client_id)
    code = driver.login_for_code(pid)
    response = driver.service.post(
        "/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": driver.redirect_uri,
            "code_verifier": driver.verifier,
            **form,
        },
        auth=auth,  # type: ignore[arg-type]
    )
    assert_json_error(response, "invalid_client", 401)


def test_two_authentication_methods_at_once_are_refused(make_driver: MakeDriver, pid: str) -> None:
    driver = make_driver()
    code = driver.login_for_code(pid)
    response = driver.redeem(code, client_secret="confidential-secret-0123456789")
    assert response.status_code in (400, 401)
    assert response.json()["error"] in ("invalid_request", "invalid_client")


@pytest.mark.parametrize(
    "grant_type",
    ["password", "client_credentials", "implicit", "urn:ietf:params:oauth:grant-type:jwt-bearer"],
)
def test_unsupported_grant_type(make_driver: MakeDriver, grant_type: str) -> None:
    driver = make_driver()
    response = driver.redeem("some-code", grant_type=grant_type)
    assert_json_error(response, "unsupported_grant_type")
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"grant_type": None}, "invalid_request"),
        ({"code": None}, "invalid_request"),
        ({"code": "not-a-code-we-issued"}, "invalid_grant"),
    ],
)
def test_missing_or_unknown_parameters(
    make_driver: MakeDriver, overrides: dict[str, str | None], error: str
) -> None:
    driver = make_driver()
    overrides = {"code": "some-code", **overrides}
    response = driver.redeem(**overrides)  # type: ignore[arg-type]
    assert_json_error(response, error)


def test_repeated_parameter_is_invalid_request(make_driver: MakeDriver, pid: str) -> None:
    driver = make_driver()
    code = driver.login_for_code(pid)
    body = httpx.QueryParams(
        [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("code", code),
            ("redirect_uri", driver.redirect_uri),
            ("code_verifier", driver.verifier),
        ]
    )
    response = driver.service.post(
        "/token",
        content=str(body),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        auth=("confidential-service", driver.secret or ""),
    )
    assert_json_error(response, "invalid_request")


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"grant_type": "authorization_code"}', "application/json"),
        (b"grant_type=authorization_code", "text/plain"),
        (b"grant_type=authorization_code", None),
        (b"", "application/json"),
        (
            b'--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\n'
            b"authorization_code\r\n--x--\r\n",
            "multipart/form-data; boundary=x",
        ),
        (b"grant_type=\xff\xfe", "application/x-www-form-urlencoded"),
    ],
)
def test_non_form_body_is_invalid_request(
    make_driver: MakeDriver, content: bytes, content_type: str | None
) -> None:
    driver = make_driver()
    headers = {"Content-Type": content_type} if content_type else {}
    response = driver.service.post(
        "/token",
        content=content,
        headers=headers,
        auth=("confidential-service", driver.secret or ""),
    )
    assert_json_error(response, "invalid_request")


# --- concurrency -----------------------------------------------------------------------------

REDEEMERS = 20


def test_concurrent_redemption_wins_once(any_database_url: str, pid: str) -> None:
    with run_provider(any_database_url) as provider:
        driver = LoginDriver(provider.base_url)
        try:
            code = driver.login_for_code(pid)
            form = {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": driver.redirect_uri,
                "code_verifier": driver.verifier,
            }
            clients = [
                httpx.Client(base_url=provider.base_url, timeout=60, verify=TLS)
                for _ in range(REDEEMERS)
            ]
            for client in clients:  # open the connections before the race starts
                assert client.get("/health").status_code == 200
            start = threading.Barrier(REDEEMERS)

            def redeem(client: httpx.Client) -> httpx.Response:
                start.wait()
                return client.post(
                    "/token", data=form, auth=(driver.client_id, driver.secret or "")
                )

            with ThreadPoolExecutor(REDEEMERS) as pool:
                responses = list(pool.map(redeem, clients))
            for client in clients:
                client.close()
        finally:
            driver.close()
    # one redemption wins; every other racer is the same client with the same code and
    # verifier, a retry as far as the provider can tell: it gets the very same tokens
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] * REDEEMERS, [r.text for r in responses]
    assert len({r.json()["access_token"] for r in responses}) == 1
