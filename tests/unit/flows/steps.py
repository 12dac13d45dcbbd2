"""Bringing a login to a stage, by calling the flows as the web layer would."""

from __future__ import annotations

from typing import Any

from ansattporten.flows.authorization_request import validate_authorization_request
from ansattporten.flows.authorize import start_login
from ansattporten.flows.context import Provider
from ansattporten.flows.login import complete_login
from ansattporten.records import Login
from tests.unit.flows.conftest import CLIENT_ID, PERSON, request_params

BROWSER = "browser-cookie"


async def started(provider: Provider, details: list[dict[str, Any]] | None = None) -> Login:
    client = await provider.store.get_client(CLIENT_ID)
    assert client is not None
    request = validate_authorization_request(
        request_params(details), client, provider.settings, provider.representation
    )
    login = await provider.store.load_login(await start_login(provider, request, BROWSER))
    assert login is not None
    return login


def form(login: Login, **fields: str) -> dict[str, str]:
    return {"csrf_token": login.csrf_token, "acr": "idporten-loa-substantial", **fields}


async def at_the_picker(
    provider: Provider, details: list[dict[str, Any]], pid: str = PERSON
) -> Login:
    login = await started(provider, details)
    await complete_login(provider, login.id, BROWSER, "testid", form(login, pid=pid))
    choosing = await provider.store.load_login(login.id)
    assert choosing is not None
    assert choosing.stage == "choose"
    return choosing
