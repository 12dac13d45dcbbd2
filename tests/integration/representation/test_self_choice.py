"""Representing oneself (spec 5): the token then carries only `type`; when the request
says `representation_is_required`, the option is neither offered nor accepted."""

from __future__ import annotations

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


def test_self_choice_gives_only_the_type(rar_driver, altinn_people, altinn_demo):
    pid = altinn_people["main_with_subunits"]
    assert oracle.eligible(altinn_demo, pid, RESOURCE)
    picker = to_picker(rar_driver, [oracle.resource_detail(RESOURCE)], pid)
    assert open_picker(rar_driver, picker).has_button("self")

    tokens = redeem_details(rar_driver, rar_driver.choose(picker, self_choice=True))

    assert tokens["authorization_details"] == [{"type": oracle.RESOURCE_TYPE}]


def test_self_is_neither_offered_nor_accepted_when_representation_is_required(
    rar_driver, altinn_people, altinn_demo
):
    pid = altinn_people["main_with_subunits"]
    assert oracle.eligible(altinn_demo, pid, RESOURCE)
    detail = oracle.resource_detail(RESOURCE, representation_is_required=True)
    picker = to_picker(rar_driver, [detail], pid)

    page = open_picker(rar_driver, picker)
    assert page.parties, "organisations are still offered"
    assert not page.has_button("self")

    forged = post_choice(rar_driver, picker, [], csrf=csrf_of(rar_driver, picker), button="self")

    assert forged.status_code in (400, 403)
    assert_refused(forged, forged.status_code)
