"""The mock Altinn over real HTTP speaks Altinn's wire formats."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest

from authz_sources.altinn.mock import DEMO_FIXTURE, create_mock_app
from tests.integration.altinn.altinn_support import TOKEN, Demo
from tests.support.servers import serve_in_thread

PARTIES = "/accessmanagement/api/v1/resourceowner/authorizedparties"
SUBJECT_TYPE = "urn:altinn:person:identifier-no"


@pytest.fixture
async def http(altinn_url: str) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient(base_url=altinn_url, headers=headers) as client:
        yield client


async def test_authorized_parties_is_a_bare_camel_case_array(
    http: httpx.AsyncClient, demo: Demo
) -> None:
    body = {"type": SUBJECT_TYPE, "value": demo.pid("main_with_subunits")}
    response = await http.post(f"{PARTIES}?includeAltinn2=true&includeAltinn3=true", json=body)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    (main,) = response.json()
    assert list(main)[:4] == ["partyUuid", "name", "organizationNumber", "parentId"]
    assert main["type"] == "Organization"
    assert main["unitType"] == "AS"
    assert len(main["subunits"]) == 3
    assert {sub["parentId"] for sub in main["subunits"]} == {None}


async def test_unknown_person_has_no_parties(http: httpx.AsyncClient) -> None:
    response = await http.post(PARTIES, json={"type": SUBJECT_TYPE, "value": "01017012345"})
    assert response.json() == []


@pytest.mark.parametrize(
    "body",
    [
        b'{"type": "urn:altinn:userid", "value": "20000001"}',
        b"not json",
        b'{"type": "urn:altinn:person:identifier-no"}',
        b'{"type": "urn:altinn:person:identifier-no", "value": "1", "extra": 1}',
        b"[]",
    ],
)
async def test_bad_subjects_get_problem_details(http: httpx.AsyncClient, body: bytes) -> None:
    response = await http.post(PARTIES, content=body)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400
    assert problem["title"]
    assert problem["detail"]


async def test_token_is_required_except_for_health(altinn_url: str) -> None:
    async with httpx.AsyncClient(base_url=altinn_url) as anonymous:
        assert (await anonymous.post(PARTIES, json={})).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        response = await anonymous.get("/resourceregistry/api/v1/resource/x", headers=wrong)
        assert response.status_code == 401
        health = await anonymous.get("/health")
        assert (health.status_code, health.text) == (200, "Healthy")


async def test_resource_registry(http: httpx.AsyncClient) -> None:
    response = await http.get("/resourceregistry/api/v1/resource/resource_enkeltrettighet")
    entry = response.json()
    assert entry["identifier"] == "resource_enkeltrettighet"
    assert entry["title"]["nb"] == "Ressurs for enkeltrettigheter testing"
    assert set(entry["title"]) == {"nb", "nn", "en"}
    service = (await http.get("/resourceregistry/api/v1/resource/se_2480_40")).json()
    assert service["title"]["nb"] == "Produkter og tjenester fra Brønnøysundregistrene"
    assert service["resourceReferences"][0]["reference"] == "2480"
    missing = await http.get("/resourceregistry/api/v1/resource/no_such_thing")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


async def test_altinn2_reportees_hal(http: httpx.AsyncClient, demo: Demo) -> None:
    params = {"subject": demo.pid("main_with_subunits"), "serviceCode": "2480"}
    response = await http.get(
        "/api/serviceowner/reportees?ForceEIAuthentication",
        params={**params, "serviceEdition": "40"},
    )
    assert response.headers["content-type"].startswith("application/hal+json")
    document = response.json()
    assert "self" in document["_links"]
    reportees = document["_embedded"]["reportees"]
    assert [r["Type"] for r in reportees] == ["Enterprise", "Business", "Business", "Business"]
    main, first_sub = reportees[0], reportees[1]
    assert first_sub["ParentOrganizationNumber"] == main["OrganizationNumber"]
    assert (main["OrganizationForm"], first_sub["OrganizationForm"]) == ("AS", "BEDR")
    assert {r["Status"] for r in reportees} == {"Active"}
    other = await http.get("/api/serviceowner/reportees", params={**params, "serviceEdition": "41"})
    assert other.json()["_embedded"]["reportees"] == []


async def test_reportees_include_persons_and_deleted_units(
    http: httpx.AsyncClient, demo: Demo
) -> None:
    def get(role: str) -> dict[str, str]:
        return {"subject": demo.pid(role), "serviceCode": "2480", "serviceEdition": "40"}

    people = (await http.get("/api/serviceowner/reportees", params=get("two_resources"))).json()
    (person,) = [r for r in people["_embedded"]["reportees"] if r["Type"] == "Person"]
    assert person["Type"] == "Person"
    assert len(person["SocialSecurityNumber"]) == 11
    deleted = (await http.get("/api/serviceowner/reportees", params=get("with_deleted"))).json()
    assert [r["Status"] for r in deleted["_embedded"]["reportees"]].count("Inactive") == 2


async def test_reportees_paging_and_validation(http: httpx.AsyncClient, demo: Demo) -> None:
    params = {"subject": demo.pid("accountant"), "serviceCode": "2480", "serviceEdition": "40"}
    everyone = (await http.get("/api/serviceowner/reportees", params=params)).json()
    page = await http.get("/api/serviceowner/reportees", params={**params, "$top": 5, "$skip": 5})
    all_reportees = everyone["_embedded"]["reportees"]
    assert page.json()["_embedded"]["reportees"] == all_reportees[5:10]
    bad = await http.get("/api/serviceowner/reportees", params={"subject": "1"})
    assert bad.status_code == 400


async def test_altinn2_rights(http: httpx.AsyncClient, demo: Demo) -> None:
    holder = demo.holders("main_with_subunits", "se_2480_40")[0]
    params = {
        "subject": demo.pid("main_with_subunits"),
        "reportee": holder,
        "serviceCode": "2480",
        "serviceEdition": "40",
    }
    rights = (await http.get("/api/serviceowner/authorization/rights", params=params)).json()
    assert [r["Action"] for r in rights["Rights"]] == ["Read", "ArchiveDelete", "ArchiveRead"]
    assert rights["Rights"][0]["ServiceEditionCode"] == 40
    stranger = {**params, "reportee": "999999999"}
    none = await http.get("/api/serviceowner/authorization/rights", params=stranger)
    assert none.json() == {"Rights": []}
    missing = {k: v for k, v in params.items() if k != "reportee"}
    bad = await http.get("/api/serviceowner/authorization/rights", params=missing)
    assert bad.status_code == 400


async def test_pdp_refuses_malformed_requests(http: httpx.AsyncClient) -> None:
    response = await http.post("/authorization/api/v1/authorize", content=b'{"Request": {}}')
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


def test_delay_applies_to_every_answer() -> None:
    with serve_in_thread(create_mock_app(DEMO_FIXTURE, delay_ms=300)) as url:
        started = time.monotonic()
        response = httpx.get(f"{url}/health")
        assert response.status_code == 200
        assert time.monotonic() - started >= 0.3
