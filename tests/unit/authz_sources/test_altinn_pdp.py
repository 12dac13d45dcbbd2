"""The PDP question the source asks, and the mock's answer, meet in the middle."""

from __future__ import annotations

import msgspec
import pytest

from authz_sources import SourceUnavailable
from authz_sources.altinn import pdp
from authz_sources.altinn.mock_fixture import load_fixture
from authz_sources.altinn.mock_pdp import decide
from authz_sources.altinn.wire import (
    XacmlAttribute,
    XacmlCategory,
    XacmlRequestRoot,
    XacmlResponse,
    XacmlResult,
)

PID = "01817512345"
FIXTURE = {
    "authorized_parties": {
        PID: [
            {
                "partyUuid": "u1",
                "partyId": 1,
                "name": "EN AS",
                "type": "Organization",
                "organizationNumber": "310000001",
                "authorizedResources": ["res"],
                "subunits": [
                    {
                        "partyUuid": "u2",
                        "partyId": 2,
                        "name": "EN AVD",
                        "type": "Organization",
                        "organizationNumber": "310000002",
                        "unitType": "BEDR",
                        "authorizedResources": ["res"],
                    }
                ],
            },
            {
                "partyUuid": "u3",
                "partyId": 3,
                "name": "TO AS",
                "type": "Organization",
                "organizationNumber": "310000003",
                "onlyHierarchyElementWithNoAccess": True,
                "authorizedResources": ["res"],
            },
        ]
    },
    "resources": [
        {
            "identifier": "res",
            "title": {"nb": "R", "nn": "R", "en": "R"},
            "actions": ["read", "write", "report"],
            "denied_actions": {"310000002": ["report"]},
        }
    ],
}


def ask(orgnos: list[str], actions: tuple[str, ...], pid: str = PID) -> dict[str, set[str]]:
    body = pdp.build_request(pid, "res", orgnos, actions)
    request = msgspec.json.decode(body, type=XacmlRequestRoot).request
    answer = decide(load_fixture(FIXTURE), request)
    wire = msgspec.json.decode(msgspec.json.encode(answer), type=XacmlResponse)
    found: dict[str, set[str]] = {orgno: set() for orgno in orgnos}
    for orgno, action in pdp.permits(wire, orgnos, actions):
        found[orgno].add(action)
    return found


def test_offered_actions_minus_denied_ones() -> None:
    assert ask(["310000001", "310000002"], ("write", "report", "sign")) == {
        "310000001": {"write", "report"},
        "310000002": {"write"},
    }


def test_hierarchy_only_and_strangers_get_nothing() -> None:
    assert ask(["310000003", "999999999"], ("read",)) == {"310000003": set(), "999999999": set()}
    assert ask(["310000001"], ("read",), pid="02817512345") == {"310000001": set()}


def test_request_uses_the_xacml_json_shape() -> None:
    body = msgspec.json.decode(pdp.build_request(PID, "res", ["310000001"], ("read",)))
    request = body["Request"]
    assert request["AccessSubject"][0]["Attribute"][0]["AttributeId"] == (
        "urn:altinn:person:identifier-no"
    )
    assert request["MultiRequests"]["RequestReference"] == [{"ReferenceId": ["s", "a0", "r0"]}]
    assert request["Action"][0]["Attribute"][0]["IncludeInResult"] is True


def test_an_answer_of_the_wrong_length_is_unusable() -> None:
    with pytest.raises(SourceUnavailable, match="does not match"):
        list(pdp.permits(XacmlResponse(response=[]), ["310000001"], ("read",)))


def permit(orgno: str | None, action: str | None) -> XacmlResult:
    attributes = []
    if orgno:
        attributes.append(
            XacmlAttribute(attribute_id="urn:altinn:organization:identifier-no", value=orgno)
        )
    if action:
        attributes.append(
            XacmlAttribute(
                attribute_id="urn:oasis:names:tc:xacml:1.0:action:action-id", value=action
            )
        )
    return XacmlResult(decision="Permit", category=[XacmlCategory(attribute=attributes)])


@pytest.mark.parametrize(
    "result",
    [permit("310000009", "read"), permit("310000001", "delete"), permit(None, "read")],
)
def test_a_permit_for_something_not_asked_is_unusable(result: XacmlResult) -> None:
    with pytest.raises(SourceUnavailable):
        list(pdp.permits(XacmlResponse(response=[result]), ["310000001"], ("read",)))


def test_mock_accepts_a_single_decision_request() -> None:
    root = {
        "Request": {
            "AccessSubject": [
                {"Attribute": [{"AttributeId": "urn:altinn:person:identifier-no", "Value": PID}]}
            ],
            "Action": [
                {
                    "Attribute": [
                        {
                            "AttributeId": "urn:oasis:names:tc:xacml:1.0:action:action-id",
                            "Value": "read",
                        }
                    ]
                }
            ],
            "Resource": [
                {
                    "Attribute": [
                        {"AttributeId": "urn:altinn:resource", "Value": "res"},
                        {
                            "AttributeId": "urn:altinn:organization:identifier-no",
                            "Value": "310000001",
                        },
                    ]
                }
            ],
        }
    }
    request = msgspec.convert(root, XacmlRequestRoot).request
    (result,) = decide(load_fixture(FIXTURE), request).response
    assert result.decision == "Permit"
    assert result.category == []


def test_mock_refuses_references_to_missing_categories() -> None:
    body = msgspec.json.decode(pdp.build_request(PID, "res", ["310000001"], ("read",)))
    body["Request"]["MultiRequests"]["RequestReference"] = [{"ReferenceId": ["s", "a9", "r0"]}]
    request = msgspec.convert(body, XacmlRequestRoot).request
    with pytest.raises(ValueError, match="exactly one action"):
        decide(load_fixture(FIXTURE), request)
