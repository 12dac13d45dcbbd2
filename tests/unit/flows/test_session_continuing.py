"""Whether a request may be answered from the service's session (`sessions.continuing`)
and whether a session's level serves a request's (`vocabulary.acr_satisfies`)."""

from __future__ import annotations

import msgspec
import pytest

from ansattporten.flows.sessions import continuing
from ansattporten.records import AuthorizationRequest, ClientSession
from ansattporten.vocabulary import acr_satisfies
from tests.unit.store.conftest import authentication, login

SUBSTANTIAL = "idporten-loa-substantial"
HIGH = "idporten-loa-high"


def request(**changes: object) -> AuthorizationRequest:
    return msgspec.structs.replace(login("x").request, **changes)


def session(acr: str = SUBSTANTIAL, auth_time: int = 1_000) -> ClientSession:
    return ClientSession(
        sid="sid",
        browser_session_id="bs",
        client_id="service",
        sub="sub",
        authentication=msgspec.structs.replace(authentication(), acr=acr, auth_time=auth_time),
        created_at=1_000.0,
        expires_at=8_200.0,
    )


def test_no_session_is_nothing_to_continue() -> None:
    assert continuing(request(), None, 1_100.0) is None


def test_a_plain_request_continues_the_session() -> None:
    assert continuing(request(), session(), 1_100.0) == session()


@pytest.mark.parametrize("prompt", [("login",), ("login", "consent")])
def test_prompt_login_never_continues(prompt: tuple[str, ...]) -> None:
    assert continuing(request(prompt=prompt), session(), 1_100.0) is None


@pytest.mark.parametrize(
    ("max_age", "now", "continues"),
    [(0, 1_000.0, False), (60, 1_059.0, True), (60, 1_060.0, True), (60, 1_061.0, False)],
)
def test_max_age_counts_from_the_authentication(max_age: int, now: float, continues: bool) -> None:
    assert (continuing(request(max_age=max_age), session(), now) is not None) is continues


@pytest.mark.parametrize(
    ("have", "wanted", "serves"),
    [
        (SUBSTANTIAL, (SUBSTANTIAL,), True),
        (HIGH, (SUBSTANTIAL,), True),
        (SUBSTANTIAL, (HIGH,), False),
        (SUBSTANTIAL, (SUBSTANTIAL, HIGH), True),
        ("some-eid-level", (SUBSTANTIAL,), False),
        ("some-eid-level", ("some-eid-level",), True),
        (HIGH, (), False),
    ],
)
def test_a_level_serves_requests_for_it_and_below(
    have: str, wanted: tuple[str, ...], serves: bool
) -> None:
    assert acr_satisfies(have, wanted) is serves
    continued = continuing(request(acr_values=wanted), session(acr=have), 1_100.0)
    assert (continued is not None) is serves
