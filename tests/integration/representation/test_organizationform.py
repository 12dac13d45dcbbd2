"""`organizationform`: `enterprise` offers only main units, `business` only sub-units
(spec 4, shared fields), and the filter also holds when the browser posts a choice."""

from __future__ import annotations

import pytest

from tests.support import altinn_oracle as oracle
from tests.support.representation import (
    assert_refused,
    csrf_of,
    open_picker,
    post_choice,
    to_picker,
)

RESOURCE = "app_ttd_apps-test"


@pytest.fixture
def pid(altinn_people):
    return altinn_people["main_with_subunits"]


@pytest.mark.parametrize(
    ("form", "sub_units"), [("enterprise", False), ("business", True), (None, None)]
)
def test_organizationform_filters_the_picker(rar_driver, altinn_demo, pid, form, sub_units):
    fields = {"organizationform": form} if form else {}
    detail = oracle.resource_detail(RESOURCE, **fields)

    page = open_picker(rar_driver, to_picker(rar_driver, [detail], pid))

    expected = oracle.eligible(altinn_demo, pid, RESOURCE, organizationform=form)
    assert expected
    assert sorted(page.parties) == sorted(expected)
    kinds = {oracle.unit_of(altinn_demo, pid, orgno).is_sub_unit for orgno in page.parties}
    assert kinds == ({sub_units} if form else {True, False})


@pytest.mark.parametrize("form", ["enterprise", "business"])
def test_the_other_form_cannot_be_posted(rar_driver, altinn_demo, pid, form):
    everyone = oracle.eligible(altinn_demo, pid, RESOURCE)
    outside = sorted(everyone - oracle.eligible(altinn_demo, pid, RESOURCE, organizationform=form))
    assert outside
    picker = to_picker(rar_driver, [oracle.resource_detail(RESOURCE, organizationform=form)], pid)

    response = post_choice(rar_driver, picker, outside[:1], csrf=csrf_of(rar_driver, picker))

    assert_refused(response, 403)
