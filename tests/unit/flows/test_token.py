"""/token as a function: the code's typed claims become the tokens, once."""

from __future__ import annotations

import pytest

from ansattporten.errors import InvalidGrant
from ansattporten.flows.context import Provider
from ansattporten.flows.login import complete_login
from ansattporten.flows.token import token
from ansattporten.outcomes import RedirectTo
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


async def test_a_code_is_redeemed_once(provider: Provider) -> None:
    code = await code_for(provider)
    await token(provider, redemption(code), None)

    with pytest.raises(InvalidGrant):
        await token(provider, redemption(code), None)
