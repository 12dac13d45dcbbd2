"""The answer a finished login sent the browser back with, kept for a retry.

The last step of a login (the eID's form without representation, the picker's choice,
or the picker's page when there was nothing to choose) issues the code and sends the
browser back to the service with it. If that answer is lost (the instance stopped
mid-response, the connection dropped) the browser posts the step again and must get
the same answer, with the same code, instead of "already finished". So the code is
kept with the login until it expires, sealed with the browser's own cookie
(`sealed_answers`): only the browser that started the login can have it back, and the
database never holds it in a form that could be replayed.
"""

from __future__ import annotations

import msgspec

from ansattporten.flows.client_response import respond
from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.flows.sealed_answers import seal, unseal
from ansattporten.outcomes import Outcome, error_page
from ansattporten.records import Login


class KeptCode(msgspec.Struct, frozen=True):
    code: str
    until: float
    """The code's own end: later, sending it again would only fail at the service."""


_KEPT = msgspec.json.Decoder(KeptCode)


def _purpose(login_id: str) -> str:
    return f"code of login {login_id}"


def sealed_code(browser_id: str, login_id: str, code: str, until: float) -> str:
    return seal(browser_id, _purpose(login_id), msgspec.json.encode(KeptCode(code, until)))


def code_again(login: Login, browser_id: str, now: float) -> str | None:
    """The code a finished login was answered with, if this browser may have it again
    and it has not expired."""
    opened = unseal(browser_id, _purpose(login.id), login.response)
    if opened is None:
        return None
    kept = _KEPT.decode(opened)
    return kept.code if now < kept.until else None


async def send_back(provider: Provider, login: Login, code: str) -> Outcome:
    """The browser back to the service with `code` (and `state`, `iss`)."""
    request = login.request
    client = await find_client(provider.store, request.client_id)
    if client is None:  # removed while the person was logging in
        return error_page("error.untrusted_request", status=400, lang=request.locale)
    return await respond(
        provider,
        client,
        request.redirect_uri,
        request.response_mode,
        {"code": code, "state": request.state},
        lang=request.locale,
    )
