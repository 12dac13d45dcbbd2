"""GET /eid/{eid}/callback: an upstream eID sends the person back.

1. read `state`, `code`, `error`, `iss` (each once, bounded)
2. the state names a login; load it: this browser, stage "login" - an answer brought
   by another browser (a stolen state) changes nothing
3. the login's waiting leg must be the one this state began (its hash, in constant
   time), and is taken once: a replayed or forged state finds nothing
4. the leg must belong to the eID whose callback this is: an answer from one upstream
   presented at another's callback is the mix-up attack, and ends the login
5. `iss` as RFC 9207 asks, where the upstream advertises it
6. an error from upstream: `access_denied` (the person cancelled, or their
   organisation blocks the eID) goes back to the selector, or to the service when this
   was the only eID; the upstream being down or overloaded ends the login with
   `temporarily_unavailable`; any other error ends it too. The upstream's own error
   text is never shown, nor logged.
7. redeem the code, check the id_token, read the person (`UpstreamEid.finish`)
8. the step after authentication, as for every eID

Every refusal is a page in the login's language; none issues a token.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Iterable
from typing import Final

from ansattporten import routes
from ansattporten.eid import UpstreamEid
from ansattporten.eid.upstream.authorization import login_id_of_state
from ansattporten.eid.upstream.errors import PersonNotAllowed, UpstreamRefused, UpstreamUnavailable
from ansattporten.errors import AccessDenied, ServerError
from ansattporten.flows.authenticated import continue_after_authentication
from ansattporten.flows.context import Provider
from ansattporten.flows.eid_choice import callback_uri, eid_unavailable
from ansattporten.flows.issue_code import fail_login, return_to_client
from ansattporten.flows.transaction import load_login
from ansattporten.outcomes import Outcome, RedirectTo, error_page
from ansattporten.records import Login, UpstreamLeg
from ansattporten.records.ids import hashed

log = logging.getLogger("ansattporten.eid")
PARAMETERS: Final = frozenset({"state", "code", "error", "iss"})
MAX_VALUE: Final = 4096
ERROR_CODE: Final = re.compile(r"[a-z_]{1,40}")
UNAVAILABLE_ERRORS: Final = frozenset({"temporarily_unavailable", "server_error"})


def read_answer(pairs: Iterable[tuple[str, str]]) -> dict[str, str] | None:
    """The answer's parameters; None when one is repeated or oversized (not an answer
    this provider's request could have produced)."""
    answer: dict[str, str] = {}
    for name, value in pairs:
        if name not in PARAMETERS:
            continue
        if name in answer or len(value) > MAX_VALUE:
            return None
        answer[name] = value
    return answer


async def upstream_callback(
    provider: Provider,
    eid_name: str,
    pairs: Iterable[tuple[str, str]],
    browser_id: str | None,
    session_cookie: str | None = None,
) -> Outcome:
    """`session_cookie`: the browser's session cookie, if it sent one (a new one
    replaces it once the person is authenticated)."""
    here = routes.EID_CALLBACK.format(eid=eid_name)
    eid = provider.eids.get(eid_name)
    if not isinstance(eid, UpstreamEid):
        return error_page("error.not_found", status=404, language_next=here)
    answer = read_answer(pairs)
    login_id = login_id_of_state(answer.get("state", "")) if answer else None
    if answer is None or login_id is None:
        return error_page("error.eid_answer_unknown", status=400, language_next=here)
    login = await load_login(provider, login_id, browser_id, stage="login")
    if not isinstance(login, Login):
        return login
    assert browser_id is not None  # the login is this browser's
    taken = await take_leg(provider, login, hashed(answer["state"]))
    if taken is None:
        log.warning("eID %r: an answer with a state this login is not waiting for", eid_name)
        return error_page(
            "error.eid_answer_unknown",
            status=400,
            lang=login.request.locale,
            language_next=routes.LOGIN.format(login_id=login.id),
        )
    login, leg = taken
    if leg.eid != eid_name:
        log.warning("eID %r: the answer to eID %r arrived at its callback", eid_name, leg.eid)
        return await answer_refused(provider, login, eid)
    try:
        await eid.check_response_issuer(answer.get("iss"), leg)
        if "error" in answer:
            return await upstream_error(provider, login, eid, leg, answer["error"])
        authentication = await eid.finish(
            answer.get("code", ""),
            leg,
            redirect_uri=callback_uri(provider, eid_name),
            now=provider.clock(),
        )
    except UpstreamUnavailable as exc:
        log.warning("%s", exc)
        return await eid_unavailable(provider, login, eid)
    except UpstreamRefused as exc:
        log.warning("%s", exc)
        return await answer_refused(provider, login, eid)
    except PersonNotAllowed as exc:
        log.info("%s", exc)
        return await fail_login(
            provider, login, AccessDenied(), "error.eid_not_allowed", status=403, eid=eid.label
        )
    return await continue_after_authentication(
        provider, login, browser_id, authentication, session_cookie
    )


async def take_leg(
    provider: Provider, login: Login, state_hash: str
) -> tuple[Login, UpstreamLeg] | None:
    """The waiting leg this state began, taken once; None for any other state."""
    leg = login.upstream
    if leg is None or not hmac.compare_digest(leg.state_hash, state_hash):
        return None
    taken = await provider.store.take_upstream_leg(login.id, state_hash)
    if taken is None or taken.upstream is None:
        return None
    return taken, taken.upstream


async def upstream_error(
    provider: Provider, login: Login, eid: UpstreamEid, leg: UpstreamLeg, error: str
) -> Outcome:
    code = error if ERROR_CODE.fullmatch(error) else "unreadable"
    log.info("eID %r answered with error %s", eid.name, code)
    if code == "access_denied":
        if not leg.alone:
            selector = routes.LOGIN.format(login_id=login.id)
            return RedirectTo(f"{provider.issuer}{selector}?cancelled={eid.name}")
        await provider.store.fail_login(login.id, login.stage, AccessDenied.error)
        return await return_to_client(provider, login, AccessDenied.error)
    if code in UNAVAILABLE_ERRORS:
        return await eid_unavailable(provider, login, eid)
    return await fail_login(
        provider, login, ServerError(), "error.eid_failed", status=502, eid=eid.label
    )


async def answer_refused(provider: Provider, login: Login, eid: UpstreamEid) -> Outcome:
    """An answer that cannot be trusted ends the login: no token, a page that says the
    login could not be completed, and `server_error` for the service."""
    return await fail_login(
        provider, login, ServerError(), "error.eid_answer_invalid", status=400, eid=eid.label
    )
