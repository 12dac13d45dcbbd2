"""What the source sends Altinn, seen on the wire: `anyOfResourceIds` for the requested
resource (one value per parameter, as ASP.NET binds a string[]) and every include flag;
and a party Altinn lists with `"authorizedResources": []` but a package reaching the
resource is offered."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from tests.support.altinn_paths import ACCOUNTANT, INCLUDE_FLAGS, PACKAGE
from tests.support.altinn_stack import AltinnStack
from tests.support.login_driver import LoginDriver
from tests.support.representation import open_picker, to_picker

URN = "urn:altinn:resource:app_ttd_paths"


def test_the_lookup_asks_for_the_resource_by_every_path(
    stack: AltinnStack, driver: LoginDriver
) -> None:
    before = len(stack.recorder.parties_calls())
    page = open_picker(
        driver,
        to_picker(driver, [{"type": "ansattporten:altinn:resource", "resource": URN}], PACKAGE),
    )
    [call] = stack.recorder.parties_calls()[before:]
    query = parse_qs(call.query.decode(), keep_blank_values=True)
    assert query["anyOfResourceIds"] == ["app_ttd_paths"]
    for flag in INCLUDE_FLAGS:
        assert query[flag] == ["true"], flag

    [party] = json.loads(call.answer)
    assert party["organizationNumber"] == "310000035"
    assert party["authorizedResources"] == []
    assert party["authorizedAccessPackages"] == ["lonn"]
    assert page.parties == ["310000035"]


def test_two_resources_are_one_lookup_each(stack: AltinnStack, driver: LoginDriver) -> None:
    """Altinn's answer to several ids cannot say which party reaches which resource,
    so each requested resource is one lookup (the provider runs them concurrently)."""
    before = len(stack.recorder.parties_calls())
    details = [
        {"type": "ansattporten:altinn:resource", "resource": URN},
        {"type": "ansattporten:altinn:resource", "resource": "urn:altinn:resource:other_resource"},
    ]
    open_picker(driver, to_picker(driver, details, ACCOUNTANT))
    calls = stack.recorder.parties_calls()[before:]
    asked = sorted(parse_qs(c.query.decode())["anyOfResourceIds"][0] for c in calls)
    assert asked == ["app_ttd_paths", "other_resource"]
