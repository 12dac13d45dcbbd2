"""The health service asks for an organisation and a doctor's approval in HPR in one
login: the doctor gets in and sees both; people without a valid LE approval are stopped
by the provider and land on the service's refusal page, with no access."""

from __future__ import annotations

import json
import re

import pytest

from authz_sources.altinn.mock import DEMO_FIXTURE
from tests.support.altinn_oracle import units
from tests.support.example_stack import ExampleStack
from tests.support.service_browser import ServiceBrowser, contains_id, offered, text_of


def clinic_branch(pid: str) -> str:
    """The demo clinic's sub-unit, the only organisation the clinic staff may choose."""
    found = list(units(json.loads(DEMO_FIXTURE.read_text("utf-8")), pid))
    [clinic] = [unit for unit in found if unit.hierarchy_only]
    [branch] = [unit for unit in found if not unit.hierarchy_only]
    assert "LEGEKONTOR" in clinic.name
    assert branch.parent == clinic.orgno
    return branch.orgno


def test_doctor_gets_in_with_organisation_and_approvals(
    examples: ExampleStack, browser: ServiceBrowser, hpr_people: dict[str, str]
) -> None:
    doctor = hpr_people["doctor"]
    picker = browser.log_in(examples.health, doctor)
    assert picker.url.path.startswith("/organisation/"), picker.text
    branch = clinic_branch(doctor)
    assert offered(picker.text) == [branch]

    page = browser.choose(picker, branch)
    assert page.status_code == 200, page.text
    assert str(page.url).startswith(f"{examples.health}/callback")
    assert f"data-orgno='{branch}'" in page.text
    assert text_of(page.text, "hpr-number") == "991000011"
    approvals = re.findall(r"data-profession='([A-Z]+)'>([^<]*)", page.text)
    assert [profession for profession, _ in approvals] == ["LE"]
    assert "Allmennmedisin" in approvals[0][1]
    assert "Indremedisin" not in approvals[0][1]  # expired speciality left out
    assert not contains_id(page.text, "refused")


@pytest.mark.parametrize("role", ["nurse", "expired", "suspended", "absent"])
def test_people_without_a_valid_doctor_approval_are_refused(
    examples: ExampleStack, browser: ServiceBrowser, hpr_people: dict[str, str], role: str
) -> None:
    stopped = browser.log_in(examples.health, hpr_people[role])
    assert stopped.status_code == 403, stopped.text
    assert str(stopped.url).startswith(examples.provider)
    assert 'name="party"' not in stopped.text

    page = browser.back_to_service(stopped)
    assert str(page.url).startswith(f"{examples.health}/callback")
    assert "error=access_denied" in str(page.url)
    assert page.status_code == 403
    assert contains_id(page.text, "refused")
    assert not contains_id(page.text, "approvals")
    assert not contains_id(page.text, "organisation")
