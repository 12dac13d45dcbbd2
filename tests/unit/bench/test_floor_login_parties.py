"""Which of Altinn's authorized parties the floor's picker offers."""

from __future__ import annotations

import msgspec

from bench.floor_login_altinn import Party, eligible
from bench.floor_pages import offered


def parties(raw: list[dict[str, object]]) -> list[Party]:
    return msgspec.json.decode(msgspec.json.encode(raw), type=list[Party])


def test_units_holding_the_resource_are_offered_sub_units_after_their_main_unit() -> None:
    answer = parties(
        [
            {
                "name": "Main AS",
                "organizationNumber": "310000001",
                "type": "Organization",
                "authorizedRoles": ["DAGL"],
                "subunits": [
                    {"name": "Branch", "organizationNumber": "310000002", "authorizedRoles": ["X"]},
                    {
                        "name": "Gone",
                        "organizationNumber": "310000003",
                        "isDeleted": True,
                        "authorizedRoles": ["X"],
                    },
                ],
            },
            {
                "name": "Only a path",
                "organizationNumber": "310000004",
                "onlyHierarchyElementWithNoAccess": True,
                "subunits": [
                    {
                        "name": "Delegated",
                        "organizationNumber": "310000005",
                        "authorizedResources": ["app_ttd_apps-test"],
                    },
                ],
            },
            {
                "name": "Instances only",
                "organizationNumber": "310000006",
                "authorizedInstances": [{"resourceId": "r", "instanceId": "i"}],
            },
            {"name": "A person", "authorizedRoles": ["PRIV"]},
        ]
    )
    assert list(eligible(answer)) == [
        ("310000001", "Main AS"),
        ("310000002", "Branch"),
        ("310000005", "Delegated"),
    ]


def test_the_designed_picker_gets_every_unit_with_its_main_unit_and_what_it_may_choose() -> None:
    answer = parties(
        [
            {
                "name": "Main AS",
                "organizationNumber": "310000001",
                "onlyHierarchyElementWithNoAccess": True,
                "subunits": [
                    {"name": "Branch", "organizationNumber": "310000002", "authorizedRoles": ["X"]},
                    {"name": "Gone", "organizationNumber": "310000003", "isDeleted": True},
                ],
            }
        ]
    )

    listed = list(offered(answer))

    assert [(p.orgno, p.parent_orgno, p.selectable) for p in listed] == [
        ("310000001", None, False),
        ("310000002", "310000001", True),
    ]
