"""Several instances on one PostgreSQL behind a load balancer: a login survives the
instance it started on being stopped half-way; the next request goes to the other
instance and the login completes there."""

from __future__ import annotations

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.support.balancer import run_balancer
from tests.support.login_driver import LoginDriver, forms_of, query_of
from tests.support.provider import run_provider
from tests.support.servers import free_port


def fresh_connection_client(base_url: str) -> httpx.Client:
    """A browser that opens a new connection per request, so the balancer chooses an
    instance for every request (as with a balancer that does not pin connections)."""
    return httpx.Client(
        base_url=base_url,
        follow_redirects=False,
        timeout=30,
        limits=httpx.Limits(max_keepalive_connections=0),
    )


def test_login_survives_its_instance_stopping(
    postgres_url: str, testid_people: dict[str, str]
) -> None:
    balancer_port = free_port()
    issuer = f"http://127.0.0.1:{balancer_port}"
    settings = {"issuer": issuer, "rate_limit": False}
    with run_provider(postgres_url, settings) as second:
        first_context = run_provider(postgres_url, settings)
        first = first_context.__enter__()
        first_port = int(first.base_url.rsplit(":", 1)[1])
        second_port = int(second.base_url.rsplit(":", 1)[1])
        backends = [("127.0.0.1", first_port), ("127.0.0.1", second_port)]
        with run_balancer(balancer_port, backends) as balancer:
            driver = LoginDriver(issuer)
            driver.browser.close()
            driver.browser = fresh_connection_client(issuer)
            try:
                pushed = driver.push(driver.params())
                assert pushed.status_code == 201, pushed.text
                started = driver.authorize(
                    {"client_id": driver.client_id, "request_uri": pushed.json()["request_uri"]}
                )
                assert started.status_code == 303, started.text
                login_url = started.headers["location"]
                page = driver.browser.get(login_url)
                assert page.status_code == 200
                assert first_port in balancer.served, "the login should have begun on A"

                # instance A goes away in the middle of the login
                first_context.__exit__(None, None, None)
                served_before = len(balancer.served)

                form = next(f for f in forms_of(page.text) if f.action.endswith("/testid"))
                done = driver.browser.post(
                    form.action,
                    data={
                        **form.fields,
                        "pid": testid_people["plain_employee"],
                        "acr": "idporten-loa-substantial",
                    },
                )
                assert done.status_code == 303, done.text
                callback = query_of(done.headers["location"])
                assert callback["iss"] == issuer
                tokens = driver.redeem(callback["code"])
                assert tokens.status_code == 200, tokens.text
                assert set(balancer.served[served_before:]) == {second_port}

                keys = KeySet.import_key_set(driver.service.get("/jwks.json").json())
                claims = jwt.decode(tokens.json()["id_token"], keys).claims
                assert claims["pid"] == testid_people["plain_employee"]
                assert claims["iss"] == issuer
            finally:
                driver.close()
