"""`ansattporten:orgno` end to end: an Entra ID user logs in at the provider, whose
source asks the employer-rules service over HTTP which organisations the employer's
rules give them toward the asking service (tests/fixtures/orgno/rules.json)."""

from __future__ import annotations

from tests.integration.orgno.conftest import (
    EVA,
    JON,
    KARI,
    LARS,
    NORA,
    ORGNO,
    SINDRE,
    MakeLogin,
)
from tests.support.login_driver import query_of
from tests.support.pages import assert_page, way_back

AUTHORITY = "iso6523-actorid-upis"
BERGEN = "311337432"  # a sub-unit of 318610584
OTER = "318610584"
ELG = "313873137"
SEL = "317462263"
GAUPE = "316931170"  # deleted


def party(orgno: str, name: str, **more: object) -> dict[str, object]:
    return {"orgno": {"authority": AUTHORITY, "ID": f"0192:{orgno}"}, "name": name, **more}


def test_rules_by_email_domain_and_group(login: MakeLogin) -> None:
    one = login()
    # e-mail (OTER), her domain (ELG), one of her groups (SEL); the deleted GAUPE hidden
    assert one.offered(one.entra(NORA)) == [ELG, SEL, OTER]
    assert login().offered(login().entra(SINDRE)) == [ELG]  # only the domain rule
    assert login().offered(login().entra(JON)) == [BERGEN, SEL]  # group, e-mail


def test_each_client_filter(login: MakeLogin) -> None:
    # "all": NORA's e-mail and domain rules hold at both services
    # "deny second-service": her group rule for SEL holds everywhere else
    assert login("second-service").offered(login("second-service").entra(NORA)) == [ELG, OTER]
    assert login("post-service").offered(login("post-service").entra(NORA)) == [ELG, SEL, OTER]
    # "allow second-service": SINDRE's e-mail rule for SEL holds only there
    assert login("second-service").offered(login("second-service").entra(SINDRE)) == [ELG, SEL]
    assert login("post-service").offered(login("post-service").entra(SINDRE)) == [ELG]


def test_rights_only_from_a_single_client_rule(login: MakeLogin) -> None:
    at_second = login("second-service")
    body = at_second.tokens(at_second.choose(at_second.entra(JON), BERGEN))
    name = "FJORDLYS TRIVELIG OTER AS AVD BERGEN"
    # two single-client rules (e-mail: les; group: rapporter) add up
    assert body["authorization_details"] == [
        {"type": ORGNO, "authorized_parties": [party(BERGEN, name, rights=["les", "rapporter"])]}
    ]
    elsewhere = login()
    body = elsewhere.tokens(elsewhere.choose(elsewhere.entra(JON), BERGEN))
    assert body["authorization_details"] == [
        {"type": ORGNO, "authorized_parties": [party(BERGEN, name)]}
    ]


def test_rules_are_additive(login: MakeLogin) -> None:
    # JON's group rule for SEL denies confidential-service; his e-mail rule for SEL
    # allows every service, and nothing takes that away
    one = login()
    assert SEL in one.offered(one.entra(JON))
    body = one.tokens(one.choose(one.entra(JON), SEL))
    assert body["authorization_details"] == [
        {"type": ORGNO, "authorized_parties": [party(SEL, "KJAPP DRISTIG SEL PARTSREDERI")]}
    ]


def test_a_sub_unit_rule_and_organizationform(login: MakeLogin) -> None:
    business = login()
    assert business.offered(business.entra(JON, organizationform="business")) == [BERGEN]
    enterprise = login()
    assert enterprise.offered(enterprise.entra(JON, organizationform="enterprise")) == [SEL]


def test_deleted_organisations_only_when_allowed(login: MakeLogin) -> None:
    one = login()
    assert GAUPE in one.offered(one.entra(NORA, allow_deleted_organizations=True))


def test_several_organisations(login: MakeLogin) -> None:
    one = login()
    picker = one.entra(NORA, allow_multiple_organizations=True)
    body = one.tokens(one.choose(picker, OTER, ELG))
    [granted] = body["authorization_details"]
    ids = sorted(p["orgno"]["ID"] for p in granted["authorized_parties"])
    assert ids == [f"0192:{ELG}", f"0192:{OTER}"]
    assert all(set(p) == {"orgno", "name"} for p in granted["authorized_parties"])


def test_representing_oneself(login: MakeLogin) -> None:
    one = login()
    picker = one.entra(NORA)
    answer = one.driver.choose(str(picker.url), self_choice=True)
    assert one.tokens(answer)["authorization_details"] == [{"type": ORGNO}]


def test_a_person_without_an_email_address_gets_only_the_type(login: MakeLogin) -> None:
    testid = login()
    assert testid.tokens(testid.testid(LARS))["authorization_details"] == [{"type": ORGNO}]
    no_mailbox = login()  # an Entra user Microsoft gives no address for
    assert no_mailbox.tokens(no_mailbox.entra(EVA))["authorization_details"] == [{"type": ORGNO}]


def test_no_rule_gives_only_the_type(login: MakeLogin) -> None:
    one = login()
    assert one.tokens(one.entra(KARI))["authorization_details"] == [{"type": ORGNO}]


def test_required_representation_without_a_rule_is_access_denied(login: MakeLogin) -> None:
    for who, make in ((KARI, "entra"), (LARS, "testid")):
        one = login()
        start = one.entra if make == "entra" else one.testid
        page = assert_page(start(who, representation_is_required=True), 403)  # type: ignore[arg-type]
        assert not page.parties
        back = query_of(way_back(one.driver.browser, page, one.driver.redirect_uri))
        assert back["error"] == "access_denied"
        assert "code" not in back
