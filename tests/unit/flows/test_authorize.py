"""/par and /authorize as functions: the request is validated once, into the typed
record, and a login starts bound to the browser."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import msgspec

from ansattporten.flows.authorize import authorize
from ansattporten.flows.context import Provider
from ansattporten.flows.par import pushed_authorization_request
from ansattporten.outcomes import RedirectTo, ShowPage
from ansattporten.records.ids import hashed
from tests.unit.flows.conftest import (
    CLIENT_ID,
    REDIRECT_URI,
    TableDetail,
    TableSource,
    detail,
    request_params,
)

BROWSER = "browser-cookie"


def login_id_of(outcome: object) -> str:
    assert isinstance(outcome, RedirectTo), outcome
    assert outcome.starts_login
    return urlsplit(outcome.url).path.rsplit("/", 1)[1]


async def test_a_login_starts_with_the_request_parsed_once(
    provider: Provider, source: TableSource
) -> None:
    outcome = await authorize(provider, request_params([detail()]).items(), BROWSER)

    login = await provider.store.load_login(login_id_of(outcome))
    assert login is not None
    assert (login.stage, login.client_id, login.browser_hash) == (
        "login",
        CLIENT_ID,
        hashed(BROWSER),
    )
    [requested] = login.request.authorization_details
    assert requested.source == "table"
    assert isinstance(requested.detail, TableDetail)
    assert requested.detail.thing == "permit"
    assert source.calls == ["parse_detail"]


async def test_a_pushed_request_is_not_validated_again(
    provider: Provider, source: TableSource
) -> None:
    pushed = await pushed_authorization_request(provider, request_params([detail()]).items(), None)
    request_uri = pushed.body["request_uri"]

    outcome = await authorize(
        provider, [("client_id", CLIENT_ID), ("request_uri", request_uri)], BROWSER
    )

    login = await provider.store.load_login(login_id_of(outcome))
    assert login is not None
    assert login.request.authorization_details[0].detail.thing == "permit"
    assert source.calls == ["parse_detail"]  # at /par only


async def test_a_pushed_request_starts_one_login(provider: Provider) -> None:
    """Used again, it starts no second login: the browser that started the login is sent
    to it again (a retried /authorize), anyone else back to the service."""
    pushed = await pushed_authorization_request(provider, request_params().items(), None)
    pairs = [("client_id", CLIENT_ID), ("request_uri", pushed.body["request_uri"])]
    login_id = login_id_of(await authorize(provider, pairs, BROWSER))

    again = await authorize(provider, pairs, BROWSER)
    elsewhere = await authorize(provider, pairs, "another-browser")

    assert isinstance(again, RedirectTo)
    assert not again.starts_login
    assert again.url.endswith(f"/login/{login_id}")
    assert isinstance(elsewhere, RedirectTo)
    assert elsewhere.url.startswith(REDIRECT_URI)
    query = parse_qs(urlsplit(elsewhere.url).query)
    assert query["error"] == ["invalid_request"]
    assert query["state"] == ["state-1"]
    assert "already used" in query["error_description"][0]


async def test_prompt_none_goes_back_to_the_client_with_login_required(
    provider: Provider,
) -> None:
    outcome = await authorize(provider, request_params(prompt="none").items(), BROWSER)

    assert isinstance(outcome, RedirectTo)
    assert outcome.url.startswith(REDIRECT_URI)
    query = parse_qs(urlsplit(outcome.url).query)
    assert query["error"] == ["login_required"]
    assert query["state"] == ["state-1"]


async def test_an_unknown_type_is_refused_back_to_the_client(provider: Provider) -> None:
    outcome = await authorize(provider, request_params([{"type": "nobody:owns"}]).items(), BROWSER)

    assert isinstance(outcome, RedirectTo)
    assert parse_qs(urlsplit(outcome.url).query)["error"] == ["invalid_authorization_details"]


async def test_an_unregistered_redirect_uri_is_never_redirected_to(provider: Provider) -> None:
    outcome = await authorize(
        provider, request_params(redirect_uri="http://evil.test/cb").items(), BROWSER
    )

    assert isinstance(outcome, ShowPage)
    assert outcome.status == 400


async def test_a_pushed_request_whose_redirect_uri_was_unregistered_since_is_refused(
    provider: Provider,
) -> None:
    pushed = await pushed_authorization_request(provider, request_params().items(), None)
    client = await provider.store.get_client(CLIENT_ID)
    assert client is not None
    await provider.store.upsert_client(
        msgspec.structs.replace(client, redirect_uris=("http://service.test/other",))
    )

    outcome = await authorize(
        provider, [("client_id", CLIENT_ID), ("request_uri", pushed.body["request_uri"])], BROWSER
    )

    assert isinstance(outcome, ShowPage)
    assert outcome.context["message_key"] == "error.untrusted_request"
