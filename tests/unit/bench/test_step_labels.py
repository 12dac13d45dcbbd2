"""Which login step a request is: every route a full login takes gets its own step,
from the provider's route patterns; anything else is "other"."""

from __future__ import annotations

import pytest

from ansattporten import routes
from bench.step_labels import OTHER, STEP_NAMES, TESTID, step_of

LOGIN_ID = "k3b1Yt0_abc-DEF"

LOGIN_REQUESTS = [
    ("POST", routes.PAR, "PAR"),
    ("GET", routes.AUTHORIZE, "authorize"),
    ("GET", routes.LOGIN.format(login_id=LOGIN_ID), "login page GET"),
    ("POST", routes.LOGIN_EID.format(login_id=LOGIN_ID, eid=TESTID), "login POST (TestID)"),
    ("GET", routes.ORGANISATION.format(login_id=LOGIN_ID), "picker GET"),
    ("POST", routes.ORGANISATION.format(login_id=LOGIN_ID), "picker POST"),
    ("POST", routes.TOKEN, "token"),
]


@pytest.mark.parametrize(("method", "path", "step"), LOGIN_REQUESTS)
def test_every_request_of_a_login_gets_its_step(method: str, path: str, step: str) -> None:
    assert step_of(method, path) == step


def test_the_steps_are_the_login_in_order() -> None:
    assert [step for _method, _path, step in LOGIN_REQUESTS] == list(STEP_NAMES)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/health"),
        ("GET", "/no/such/path"),
        ("GET", routes.JWKS),
        ("POST", routes.INTROSPECT),  # under /token, but not the token endpoint
        ("POST", routes.LOGIN_CANCEL.format(login_id=LOGIN_ID)),  # not an eID called "cancel"
        ("POST", routes.LOGIN_CHOOSE_EID.format(login_id=LOGIN_ID)),
        ("GET", routes.LOGIN_WITH.format(login_id=LOGIN_ID, eid=TESTID)),
        ("POST", routes.LOGIN_EID.format(login_id=LOGIN_ID, eid="idporten")),
        ("GET", routes.PAR),  # a step's path with another method
        ("GET", routes.LOGIN.format(login_id=LOGIN_ID) + "/extra/segments"),
        ("GET", routes.TOKEN + "x"),
    ],
)
def test_anything_else_is_other(method: str, path: str) -> None:
    assert step_of(method, path) == OTHER
