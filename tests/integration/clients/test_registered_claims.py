"""What a client's registration puts into its tokens: `consumer` from its organisation
number (as every ID-porten access token carries it), and a `public` or `pairwise`
subject."""

from __future__ import annotations

from typing import Any

from tests.integration.clients.conftest import ORGNO, MakeDriver
from tests.support.provider import RunningProvider
from tests.support.tokens import introspect, verified_claims

PID = "45840375084"


def tokens_of(make_driver: MakeDriver, client_id: str, pid: str = PID) -> dict[str, Any]:
    driver = make_driver(client_id)
    response = driver.redeem(driver.login_for_code(pid))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def subject_at(make_driver: MakeDriver, provider: RunningProvider, client_id: str) -> str:
    tokens = tokens_of(make_driver, client_id)
    access = verified_claims(provider.base_url, tokens["access_token"])
    identity = verified_claims(provider.base_url, tokens["id_token"])
    assert access["sub"] == identity["sub"]
    return str(access["sub"])


def test_access_tokens_name_the_consumer_organisation(make_driver, provider):
    access = verified_claims(
        provider.base_url, tokens_of(make_driver, "orgno-service")["access_token"]
    )

    assert access["consumer"] == {"authority": "iso6523-actorid-upis", "ID": f"0192:{ORGNO}"}


def test_the_consumer_reaches_an_api_through_introspection(make_driver, provider):
    tokens = tokens_of(make_driver, "orgno-service")

    body = introspect(provider.base_url, tokens["access_token"]).json()

    assert body["active"] is True
    assert body["consumer"]["ID"] == f"0192:{ORGNO}"


def test_no_consumer_without_a_registered_organisation_number(make_driver, provider):
    access = verified_claims(
        provider.base_url, tokens_of(make_driver, "confidential-service")["access_token"]
    )

    assert "consumer" not in access


def test_public_clients_share_the_subject_and_pairwise_clients_do_not(make_driver, provider):
    public = {subject_at(make_driver, provider, c) for c in ("public-sub-a", "public-sub-b")}
    pairwise = [
        subject_at(make_driver, provider, c) for c in ("confidential-service", "post-service")
    ]

    assert len(public) == 1
    assert len(set(pairwise)) == 2
    assert public.isdisjoint(pairwise)
    assert PID not in public | set(pairwise)
    assert len(next(iter(public))) == 43
