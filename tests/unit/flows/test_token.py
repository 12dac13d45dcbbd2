"""/token as a function: the code's typed claims become the tokens, once; the same
redemption retried gets the same answer, a later one revokes."""

from __future__ import annotations

import pytest

from ansattporten.errors import InvalidGrant
from ansattporten.flows.context import Provider
from ansattporten.flows.login import complete_login
from ansattporten.flows.token import token
from ansattporten.outcomes import JsonBody, RedirectTo
from tests.unit.flows.conftest import CLIENT_ID, PERSON, REDIRECT_URI, VERIFIER
from tests.unit.flows.steps import BROWSER, form, started


async def code_for(provider: Provider) -> str:
    login = await started(provider)
    outcome = await complete_login(provider, login.id, BROWSER, "testid", form(login, pid=PERSON))
    assert isinstance(outcome, RedirectTo)
    return outcome.url.split("code=", 1)[1].split("&", 1)[0]


def redemption(code: str) -> list[tuple[str, str]]:
    return [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT_URI),
        ("code_verifier", VERIFIER),
        ("client_id", CLIENT_ID),
    ]


async def test_a_code_becomes_an_id_token_and_an_access_token(provider: Provider) -> None:
    answer = await token(provider, redemption(await code_for(provider)), None)

    access = provider.keyring.keys.verify(answer.body["access_token"], typ="at+jwt")
    identity = provider.keyring.keys.verify(answer.body["id_token"])
    assert access["pid"] == identity["pid"] == PERSON
    assert access["sub"] == identity["sub"]
    assert (identity["nonce"], identity["acr"], identity["amr"]) == (
        "nonce-1",
        "substantial",
        ["TestID"],
    )
    assert "authorization_details" not in answer.body  # none was asked for
    assert answer.headers["Cache-Control"] == "no-store"


async def test_a_retried_redemption_gets_the_same_answer(provider: Provider) -> None:
    code = await code_for(provider)
    first = await token(provider, redemption(code), None)
    provider.clock.now += provider.settings.token_retry_seconds  # type: ignore[attr-defined]

    again = await token(provider, redemption(code), None)

    assert again.body == first.body
    assert await provider.store.grant_is_active(grant_of(provider, first), provider.clock())


async def test_a_code_redeemed_again_later_is_refused_and_revokes(provider: Provider) -> None:
    code = await code_for(provider)
    first = await token(provider, redemption(code), None)
    provider.clock.now += provider.settings.token_retry_seconds + 1  # type: ignore[attr-defined]

    with pytest.raises(InvalidGrant, match="already redeemed"):
        await token(provider, redemption(code), None)
    assert not await provider.store.grant_is_active(grant_of(provider, first), provider.clock())


@pytest.mark.parametrize(
    "change",
    [{"code_verifier": "x" * 43}, {"redirect_uri": "http://client.test/other"}],
    ids=["wrong verifier", "wrong redirect_uri"],
)
async def test_a_code_presented_without_its_proof_is_left_unused(
    provider: Provider, change: dict[str, str]
) -> None:
    code = await code_for(provider)
    wrong = [(name, change.get(name, value)) for name, value in redemption(code)]

    with pytest.raises(InvalidGrant):
        await token(provider, wrong, None)

    assert "access_token" in (await token(provider, redemption(code), None)).body


def grant_of(provider: Provider, answer: JsonBody) -> str:
    claims = provider.keyring.keys.verify(answer.body["access_token"], typ="at+jwt")
    return str(claims["jti"]).split(".", 1)[0]
