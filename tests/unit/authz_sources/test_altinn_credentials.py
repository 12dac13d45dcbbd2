"""The Altinn source's tokens: settings checked when the source is made, a refused token
renewed once, the exchange's answer read (also when a gateway quotes it), and the
renewal timed by the shorter of the two lifetimes. Maskinporten and Altinn are handlers
behind real loopback servers."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import pytest

from authz_sources import SourceUnavailable, Subject
from authz_sources.altinn import AltinnSettings, AltinnSource
from authz_sources.altinn.credentials import AltinnExchange
from authz_sources.maskinporten import Issued
from authz_sources.registry import SourceConfigError
from tests.support.handler_server import serving
from tests.support.maskinporten_keys import ClientKeys

PID = "01817512345"
PARTY = {
    "partyUuid": "u",
    "partyId": 1,
    "name": "EN AS",
    "type": "Organization",
    "organizationNumber": "310000019",
    "authorizedAccessPackages": ["lonn"],
}


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> ClientKeys:
    return ClientKeys(tmp_path_factory.mktemp("credentials"))


def settings(keys: ClientKeys, **extra: Any) -> AltinnSettings:
    options: dict[str, Any] = {
        "base_url": "http://127.0.0.1:9",  # each test sets where its servers listen
        "maskinporten_issuer": "http://127.0.0.1:9/",
        "maskinporten_client_id": keys.client_id,
        "maskinporten_key": str(keys.jwk_file),
        **extra,
    }
    return AltinnSettings(**options)


def jwt_with(claims: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256'})}.{part(claims)}.c2ln"


async def test_a_refused_token_is_renewed_once(keys: ClientKeys) -> None:
    issued: list[str] = []
    sent: list[str] = []

    def maskinporten(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/token"
        issued.append(f"token-{len(issued) + 1}")
        return httpx.Response(200, json={"access_token": issued[-1], "expires_in": 120})

    def altinn(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers["authorization"])
        if request.headers["authorization"] == "Bearer token-1":
            return httpx.Response(401)
        return httpx.Response(200, json=[PARTY])

    with serving(maskinporten) as issuer, serving(altinn) as altinn_url:
        options = {"base_url": altinn_url, "maskinporten_issuer": issuer + "/"}
        source = AltinnSource("altinn", settings(keys, exchange_for_altinn_token=False, **options))
        await _renewed_once(source, sent, issued)


async def _renewed_once(source: AltinnSource, sent: list[str], issued: list[str]) -> None:
    try:
        detail = source.parse_detail(
            {"type": "ansattporten:altinn:resource", "resource": "urn:altinn:resource:r"}
        )
        parties = await source.find_parties(Subject(pid=PID, client_id="c"), detail)
        assert [p.orgno for p in parties] == ["310000019"]
        assert sent == ["Bearer token-1", "Bearer token-2"]
        assert issued == ["token-1", "token-2"]
    finally:
        await source.aclose()


async def test_maskinporten_refusal_fails_closed_and_names_the_settings(keys: ClientKeys) -> None:
    def maskinporten(_: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400, json={"error": "invalid_grant", "error_description": "MP-100 Client not found"}
        )

    healthy = httpx.Response(200, text="Healthy")
    with serving(maskinporten) as issuer, serving(lambda _: healthy) as altinn_url:
        options = {"base_url": altinn_url, "maskinporten_issuer": issuer + "/"}
        source = AltinnSource("altinn_tt02", settings(keys, **options))
        try:
            with pytest.raises(SourceUnavailable) as caught:
                await source.check_health()
        finally:
            await source.aclose()
    message = str(caught.value)
    assert "invalid_grant (MP-100 Client not found)" in message
    assert "[sources.altinn_tt02] maskinporten_client_id" in message


@pytest.mark.parametrize("quoted", [False, True])
async def test_the_exchange_answer_is_read_and_its_expiry_kept(
    keys: ClientKeys, quoted: bool
) -> None:
    altinn_token = jwt_with({"exp": int(time.time()) + 30, "scope": "x"})
    seen: list[httpx.Request] = []

    def altinn(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = json.dumps(altinn_token) if quoted else altinn_token
        return httpx.Response(200, text=body)

    with serving(altinn) as url:
        exchange = AltinnExchange(settings(keys, base_url=url, subscription_key="sub"))
        got = await exchange.exchange(Issued("mp-token", time.monotonic() + 120))
    assert got.value == altinn_token
    assert 25 < got.expires_at - time.monotonic() <= 30
    [request] = seen
    assert request.method == "GET"
    assert request.url.path == "/authentication/api/v1/exchange/maskinporten"
    assert request.headers["authorization"] == "Bearer mp-token"
    assert request.headers["ocp-apim-subscription-key"] == "sub"


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(401, text=""), "HTTP 401"),
        (httpx.Response(200, text="<html>"), "not a JWT"),
    ],
)
async def test_a_failed_exchange_is_unavailable(
    keys: ClientKeys, response: httpx.Response, message: str
) -> None:
    with serving(lambda _: response) as url:
        exchange = AltinnExchange(settings(keys, base_url=url))
        with pytest.raises(SourceUnavailable, match=message):
            await exchange.exchange(Issued("mp", time.monotonic() + 60))


def test_settings_are_checked_when_the_source_is_made(keys: ClientKeys) -> None:
    with pytest.raises(SourceConfigError, match="maskinporten_client_id is required"):
        AltinnSource("altinn", settings(keys, maskinporten_client_id=None))
    with pytest.raises(SourceConfigError, match="maskinporten_kid belongs with"):
        AltinnSource(
            "altinn",
            settings(
                keys,
                maskinporten_key=None,
                maskinporten_kid="k",
                maskinporten_certificate=str(keys.p12_file),
                maskinporten_certificate_password=keys.password,
            ),
        )
    with pytest.raises(SourceConfigError, match="maskinporten_issuer must be a URL"):
        AltinnSource("altinn", settings(keys, maskinporten_issuer="test.maskinporten.no"))
    with pytest.raises(SourceConfigError, match="at least one scope"):
        AltinnSource("altinn", settings(keys, maskinporten_scope=" "))
