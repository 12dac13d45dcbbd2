"""`POST /parties` over real HTTP: who the rules of tests/fixtures/employer_rules/
rules.json let act for which organisation toward which service, in the HTTP register
contract's answer form (checked with the provider's own strict decoder)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from authz_sources.http_register.wire import ANSWER_DECODER
from tests.support.employer_rules import API_TOKEN, RunningRules

OTER, BERGEN, ELG, SEL, GAUPE = "318610584", "311337432", "313873137", "317462263", "316931170"
GROUP = "0b5c2a43-6d4e-4f0a-9b1e-2c3d4e5f6a7b"


def ask(service: RunningRules, client_id: str = "rapportering", **subject: Any) -> dict[str, Any]:
    """The answer's parties by organisation number."""
    answer = httpx.post(
        f"{service.base_url}/parties",
        json={
            "type": "ansattporten:orgno",
            "client_id": client_id,
            "subject": subject,
            "detail": {"type": "ansattporten:orgno", "representation_is_required": True},
        },
        headers={"Authorization": f"Bearer {API_TOKEN}", "Ansattporten-Register-Contract": "1"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    ANSWER_DECODER.decode(answer.content)  # what a version 1 provider accepts
    return {party["id"].removeprefix("0192:"): party for party in answer.json()["parties"]}


def test_a_domain_rule_for_every_service(rules_service: RunningRules) -> None:
    found = ask(rules_service, "some-service", email="per@oter.example")
    assert found == {
        OTER: {"id": f"0192:{OTER}", "name": "FJORDLYS TRIVELIG OTER AS", "unit_type": "AS"}
    }


def test_an_allow_rule_lets_only_its_services_through(rules_service: RunningRules) -> None:
    assert SEL in ask(rules_service, "rapportering", email="per@oter.example")
    assert SEL in ask(rules_service, "lonn", email="per@oter.example")
    assert SEL not in ask(rules_service, "some-service", email="per@oter.example")


def test_a_deny_rule_lets_every_other_service_through(rules_service: RunningRules) -> None:
    assert ELG in ask(rules_service, "rapportering", groups=[GROUP])
    assert ELG not in ask(rules_service, "lonn", groups=[GROUP])


def test_a_group_rule_matches_group_ids_in_any_case(rules_service: RunningRules) -> None:
    assert set(ask(rules_service, groups=[GROUP.upper(), "not-a-guid"])) == {ELG}
    assert ask(rules_service, groups=["11111111-2222-3333-4444-555555555555"]) == {}


def test_an_e_mail_rule_on_a_sub_unit_with_rights_from_single_client_rules(
    rules_service: RunningRules,
) -> None:
    found = ask(rules_service, "rapportering", email="KARI.BERGEN@oter.example")
    assert found[BERGEN] == {
        "id": f"0192:{BERGEN}",
        "name": "FJORDLYS TRIVELIG OTER AS AVD BERGEN",
        "unit_type": "BEDR",
        "parent_id": f"0192:{OTER}",
        "rights": ["les", "rapporter", "signer"],  # two rules for this one client add up
    }
    assert set(found) == {OTER, BERGEN, SEL}  # the domain rules add their organisations


def test_rights_are_never_given_to_another_service(rules_service: RunningRules) -> None:
    found = ask(rules_service, "lonn", email="kari.bergen@oter.example")
    assert BERGEN not in found  # its rules allow only `rapportering`
    assert "rights" not in found[SEL]  # allowed for two clients: no rights


def test_rules_add_up_across_kinds(rules_service: RunningRules) -> None:
    both = ask(rules_service, "rapportering", email="ola@sel.example", groups=[GROUP])
    assert set(both) == {SEL, ELG, GAUPE}


def test_a_deleted_organisation_is_marked_so(rules_service: RunningRules) -> None:
    assert ask(rules_service, "x", email="ola@sel.example")[GAUPE]["is_deleted"] is True


def test_nobody_known_is_an_empty_answer(rules_service: RunningRules) -> None:
    assert ask(rules_service, email="nobody@else.example") == {}
    assert ask(rules_service, pid="14926033388") == {}  # no e-mail, no groups: no rule fits
    assert ask(rules_service, email="not an address") == {}


def test_contract_additions_are_ignored(rules_service: RunningRules) -> None:
    answer = httpx.post(
        f"{rules_service.base_url}/parties",
        json={
            "type": "ansattporten:orgno",
            "client_id": "x",
            "subject": {
                "email": "per@oter.example",
                "entra_tid": "9188040d-6c67-4c5b-b112-36a304b66dad",
                "entra_oid": "00000000-0000-0000-0000-000000000001",
                "name": "Per",
                "something_new": {"nested": True},
            },
            "detail": {"type": "ansattporten:orgno"},
            "also_new": 1,
        },
        headers={"Authorization": f"Bearer {API_TOKEN}"},
    )
    assert answer.status_code == 200, answer.text
    assert [p["id"] for p in answer.json()["parties"]] == [f"0192:{OTER}"]


GOOD = {
    "type": "ansattporten:orgno",
    "client_id": "x",
    "subject": {"email": "per@oter.example"},
    "detail": {"type": "ansattporten:orgno"},
}


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({"Authorization": None}, GOOD, 401),
        ({"Authorization": "Bearer wrong-token-wrong-token-wrong-token"}, GOOD, 401),
        ({"Authorization": f"Basic {API_TOKEN}"}, GOOD, 401),
        ({"Authorization": f"Bearer {API_TOKEN}x"}, GOOD, 401),
        ({"Authorization": "Bearer a.b.c"}, GOOD, 401),
        ({"Content-Type": "text/plain"}, b"{}", 415),
        ({}, b"{not json", 400),
        ({}, b"[]", 400),
        ({}, {**GOOD, "client_id": ""}, 400),
        ({}, {k: v for k, v in GOOD.items() if k != "client_id"}, 400),
        ({}, {**GOOD, "type": "ansattporten:altinn:resource"}, 400),
        ({}, {**GOOD, "subject": {"email": 5}}, 400),
        ({}, {**GOOD, "subject": {"groups": "abc"}}, 400),
        ({}, {**GOOD, "subject": {"groups": ["a"] * 2001}}, 400),
        ({}, {**GOOD, "detail": "x"}, 400),
        ({}, b"x" * (300 * 1024), 413),
    ],
)
def test_refusals_are_json_with_the_right_status(
    rules_service: RunningRules, headers: dict[str, str | None], body: Any, status: int
) -> None:
    defaults = {"Authorization": f"Bearer {API_TOKEN}", "Content-Type": "application/json"}
    sent = {k: v for k, v in {**defaults, **headers}.items() if v is not None}
    content = body if isinstance(body, bytes) else httpx.Request("POST", "/", json=body).content
    answer = httpx.post(f"{rules_service.base_url}/parties", content=content, headers=sent)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert set(answer.json()) == {"error", "error_description"}
    assert "Traceback" not in answer.text
    if status == 401:
        assert answer.headers["www-authenticate"] == "Bearer"
        assert API_TOKEN not in answer.text


def test_only_post_is_answered(rules_service: RunningRules) -> None:
    answer = httpx.get(f"{rules_service.base_url}/parties")
    assert answer.status_code == 405
    assert answer.json()["error"] == "invalid_request"


def test_health(rules_service: RunningRules) -> None:
    answer = httpx.get(f"{rules_service.base_url}/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}
