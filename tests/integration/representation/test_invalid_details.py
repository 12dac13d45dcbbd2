"""Invalid `authorization_details` (spec 3.3, RFC 9396 5): refused at /authorize with a
redirect carrying `invalid_authorization_details` and a description that names the
entry at fault, and at /par with the same error as JSON. `[]` means no RAR at all."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.support import altinn_oracle as oracle
from tests.support.login_driver import LoginDriver, query_of
from tests.support.representation import open_picker, to_picker
from tests.support.tokens import verified_claims

RESOURCE = "app_ttd_apps-test"
GOOD = oracle.resource_detail(RESOURCE)
SERVICE = {"type": oracle.SERVICE_TYPE, "resource": "urn:altinn:resource:2480:40"}
FLAGS = (
    "allow_multiple_organizations",
    "allow_deleted_organizations",
    "representation_is_required",
)
MAX_BYTES = 16 * 1024


def dumps(value):
    return json.dumps(value)


CASES = {
    # name: (parameter value, index of the entry at fault or None for the whole value)
    "not_json": ('[{"type": "ansattporten:altinn:resource",', None),
    "not_an_array": (dumps(GOOD), None),
    "entry_not_an_object": (dumps([GOOD, "ansattporten:altinn:resource"]), 1),
    "entry_is_an_array": (dumps([[GOOD]]), 0),
    "missing_type": (dumps([GOOD, {"resource": oracle.urn(RESOURCE)}]), 1),
    "type_not_a_string": (dumps([{**GOOD, "type": 7}]), 0),
    "unknown_type": (dumps([{"type": "ansattporten:entra"}]), 0),
    "missing_resource": (dumps([{"type": oracle.RESOURCE_TYPE}]), 0),
    "malformed_resource_urn": (dumps([GOOD, {**GOOD, "resource": "urn:altinn:app:x"}]), 1),
    "resource_urn_without_id": (dumps([{**GOOD, "resource": "urn:altinn:resource:"}]), 0),
    "malformed_service_urn": (dumps([{**SERVICE, "resource": "urn:altinn:resource:ab:1"}]), 0),
    "resource_a_number": (dumps([{**GOOD, "resource": 42}]), 0),
    "resource_an_array": (dumps([{**GOOD, "resource": [oracle.urn(RESOURCE)]}]), 0),
    "unknown_field": (dumps([GOOD, {**GOOD, "ressurs": oracle.urn(RESOURCE)}]), 1),
    "organizationform_unknown": (dumps([{**GOOD, "organizationform": "company"}]), 0),
    "organizationform_differs": (
        dumps(
            [{**GOOD, "organizationform": "enterprise"}, {**GOOD, "organizationform": "business"}]
        ),
        1,
    ),
    "mixed_altinn_types": (dumps([GOOD, SERVICE]), 1),
    "service_deleted_flag_differs": (
        dumps([SERVICE, {**SERVICE, "allow_deleted_organizations": True}]),
        1,
    ),
    **{
        f"{flag}_{label}": (dumps([GOOD, {**GOOD, flag: value}]), 1)
        for flag in FLAGS
        for label, value in (("yes", "yes"), ("one", 1), ("null", None))
    },
}


@pytest.fixture
def client(rar_provider):
    driver = LoginDriver(rar_provider.base_url)
    yield driver
    driver.close()


def check_description(description: str, index: int | None) -> None:
    assert "authorization_details" in description, description
    if index is not None:
        assert f"authorization_details[{index}]" in description, description
    assert len(description) < 400, "the description must not echo large input"


def assert_refused_by_redirect(
    response: httpx.Response, client: LoginDriver, issuer: str, index: int | None
) -> None:
    assert response.status_code == 303, (response.status_code, response.text[:500])
    location = response.headers["location"]
    assert location.startswith(client.redirect_uri + "?"), location
    params = query_of(location)
    assert params["error"] == "invalid_authorization_details", params
    assert params["state"] == client.state
    assert params["iss"] == issuer
    assert "code" not in params
    check_description(params["error_description"], index)


def assert_refused_as_json(response: httpx.Response, index: int | None) -> None:
    assert response.status_code == 400, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] == "invalid_authorization_details", body
    assert "request_uri" not in body
    check_description(body["error_description"], index)


@pytest.mark.parametrize(("value", "index"), list(CASES.values()), ids=list(CASES))
def test_refused_at_authorize(client, rar_provider, value, index):
    response = client.authorize(client.params(authorization_details=value))

    assert_refused_by_redirect(response, client, rar_provider.settings.issuer, index)


@pytest.mark.parametrize(("value", "index"), list(CASES.values()), ids=list(CASES))
def test_refused_at_par(client, value, index):
    assert_refused_as_json(client.push(client.params(authorization_details=value)), index)


def oversized() -> str:
    value = dumps([{**GOOD, "note": "x" * MAX_BYTES}])
    assert len(value.encode()) > MAX_BYTES
    return value


def test_oversized_parameter_is_refused_at_authorize(client, rar_provider):
    # sent as a form POST: a URL this long would already be refused by the HTTP server
    response = client.browser.post(
        "/authorize", data=client.params(authorization_details=oversized())
    )

    assert_refused_by_redirect(response, client, rar_provider.settings.issuer, None)


def test_oversized_parameter_is_refused_at_par(client):
    assert_refused_as_json(client.push(client.params(authorization_details=oversized())), None)


@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("value", ["true", "false", True, False])
def test_flags_as_strings_or_booleans_are_accepted(client, flag, value):
    value_json = dumps([{**GOOD, flag: value}])

    pushed = client.push(client.params(authorization_details=value_json))
    assert pushed.status_code == 201, pushed.text
    direct = client.authorize(client.params(authorization_details=value_json))
    assert direct.status_code == 303
    assert "/login/" in direct.headers["location"], direct.headers["location"]


@pytest.mark.parametrize(("value", "input_type"), [("true", "checkbox"), ("false", "radio")])
def test_string_flags_take_effect(rar_driver, altinn_people, value, input_type):
    details = [{**GOOD, "allow_multiple_organizations": value}]
    picker = to_picker(rar_driver, details, altinn_people["main_with_subunits"])

    assert open_picker(rar_driver, picker).party_input_types == {input_type}


@pytest.mark.parametrize(("value", "self_offered"), [("true", False), ("false", True)])
def test_string_required_flag_takes_effect(rar_driver, altinn_people, value, self_offered):
    details = [{**GOOD, "representation_is_required": value}]
    picker = to_picker(rar_driver, details, altinn_people["main_with_subunits"])

    assert open_picker(rar_driver, picker).has_button("self") is self_offered


@pytest.mark.parametrize("via_par", [True, False])
def test_an_empty_array_means_no_representation(rar_driver, rar_provider, altinn_people, via_par):
    login = rar_driver.start([], via_par=via_par)

    response = rar_driver.login(login, altinn_people["main_with_subunits"])

    callback = rar_driver.callback(response)  # straight back: no picker
    tokens = rar_driver.redeem(callback["code"]).json()
    assert "authorization_details" not in tokens
    base = rar_provider.base_url
    assert "authorization_details" not in verified_claims(base, tokens["id_token"])
    assert "authorization_details" not in verified_claims(base, tokens["access_token"])
