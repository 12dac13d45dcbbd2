"""Nothing a browser posts is trusted because it was offered (DESIGN): a choice that was
not offered, or a form without the transaction's CSRF token, gets no code."""

from __future__ import annotations

import pytest

from tests.support import altinn_oracle as oracle
from tests.support.representation import (
    assert_refused,
    csrf_of,
    open_picker,
    post_choice,
    redeem_details,
    to_picker,
)

RESOURCE = "app_ttd_apps-test"


@pytest.fixture
def pid(altinn_people):
    return altinn_people["hierarchy_only_parent"]


@pytest.fixture
def picker(rar_driver, pid):
    return to_picker(rar_driver, [oracle.resource_detail(RESOURCE)], pid)


def not_offered(kind, demo, pid):
    if kind == "unknown":
        return oracle.unknown_orgno(demo)
    if kind == "another_persons":
        return oracle.foreign_orgno(demo, pid)
    return sorted(u.orgno for u in oracle.units(demo, pid) if u.hierarchy_only)[0]


@pytest.mark.parametrize("kind", ["unknown", "another_persons", "hierarchy_only_parent"])
def test_an_orgno_that_was_not_offered_is_refused(rar_driver, altinn_demo, pid, picker, kind):
    orgno = not_offered(kind, altinn_demo, pid)
    assert len(orgno) == 9
    assert orgno.isdigit()
    assert orgno not in open_picker(rar_driver, picker).parties

    response = post_choice(rar_driver, picker, [orgno], csrf=csrf_of(rar_driver, picker))

    assert_refused(response, 403)


def test_an_offered_orgno_next_to_a_forged_one_is_refused(rar_driver, altinn_demo, pid, picker):
    offered = sorted(oracle.eligible(altinn_demo, pid, RESOURCE))[0]
    forged = oracle.foreign_orgno(altinn_demo, pid)

    response = post_choice(rar_driver, picker, [offered, forged], csrf=csrf_of(rar_driver, picker))

    assert_refused(response, 403)


@pytest.mark.parametrize("csrf", [None, "", "not-the-token"])
def test_a_choice_without_the_csrf_token_is_refused(rar_driver, altinn_demo, pid, picker, csrf):
    offered = sorted(oracle.eligible(altinn_demo, pid, RESOURCE))[0]

    response = post_choice(rar_driver, picker, [offered], csrf=csrf)

    assert_refused(response, 403)
    # the refusal changed nothing: the genuine form still works
    tokens = redeem_details(rar_driver, rar_driver.choose(picker, parties=[offered]))
    assert oracle.orgnos_of(tokens["authorization_details"][0]) == {offered}
