"""The picker offers exactly the organisations the register says the person may act for
(spec 5 and 8.3): hierarchy-only parents shown but not selectable, deleted units only
when asked for, persons never, and nobody to offer means no picker at all."""

from __future__ import annotations

import pytest

from tests.support import altinn_oracle as oracle
from tests.support.representation import open_picker, redeem_details, to_picker

APPS_TEST = "app_ttd_apps-test"
ENKELTRETTIGHET = "resource_enkeltrettighet"


@pytest.mark.parametrize(
    ("role", "resource_id"),
    [
        ("main_with_subunits", APPS_TEST),
        ("hierarchy_only_parent", APPS_TEST),
        ("with_deleted", APPS_TEST),
        ("two_resources", ENKELTRETTIGHET),
    ],
)
def test_picker_offers_exactly_the_eligible_organisations(
    rar_driver, altinn_people, altinn_demo, role, resource_id
):
    pid = altinn_people[role]
    expected = oracle.eligible(altinn_demo, pid, resource_id)
    assert expected, "the fixture person should have someone to represent"

    page = open_picker(
        rar_driver, to_picker(rar_driver, [oracle.resource_detail(resource_id)], pid)
    )

    assert sorted(page.parties) == sorted(expected)
    assert all(len(orgno) == 9 and orgno.isdigit() for orgno in page.parties)
    assert set(page.listed) == expected | oracle.headers(altinn_demo, pid, expected)


def test_hierarchy_only_parent_is_shown_but_cannot_be_chosen(
    rar_driver, altinn_people, altinn_demo
):
    pid = altinn_people["hierarchy_only_parent"]
    parents = {u.orgno for u in oracle.units(altinn_demo, pid) if u.hierarchy_only}
    assert parents, "the fixture should have a hierarchy-only parent"

    page = open_picker(rar_driver, to_picker(rar_driver, [oracle.resource_detail(APPS_TEST)], pid))

    assert parents <= set(page.listed)
    assert not parents & set(page.parties)
    assert page.parties, "its sub-units are still offered"


@pytest.mark.parametrize("allow_deleted", [False, True])
def test_deleted_organisations_only_when_allowed(
    rar_driver, altinn_people, altinn_demo, allow_deleted
):
    pid = altinn_people["with_deleted"]
    deleted = {u.orgno for u in oracle.units(altinn_demo, pid) if u.deleted}
    assert deleted, "the fixture should have deleted units"
    detail = oracle.resource_detail(APPS_TEST, allow_deleted_organizations=allow_deleted)

    page = open_picker(rar_driver, to_picker(rar_driver, [detail], pid))

    expected = oracle.eligible(altinn_demo, pid, APPS_TEST, allow_deleted=allow_deleted)
    assert sorted(page.parties) == sorted(expected)
    if allow_deleted:
        assert deleted <= set(page.parties)
    else:
        assert not deleted & set(page.listed)


def test_persons_are_never_offered(rar_driver, altinn_people, altinn_demo):
    pid = altinn_people["two_resources"]
    persons = oracle.person_parties(altinn_demo, pid)
    assert persons, "the fixture should list a Person party"

    picker = to_picker(rar_driver, [oracle.resource_detail(ENKELTRETTIGHET)], pid)
    response = rar_driver.browser.get(picker)

    assert response.status_code == 200
    for person in persons:
        assert person["name"] not in response.text
        assert person["pid"] not in response.text


class TestManyOrganisations:
    """An accountant with hundreds of clients: one page, then search."""

    @pytest.fixture
    def accountant(self, altinn_people, altinn_demo):
        pid = altinn_people["accountant"]
        eligible = oracle.eligible(altinn_demo, pid, APPS_TEST)
        assert len(eligible) > 300
        return pid, eligible

    @pytest.fixture
    def picker_url(self, rar_driver, accountant):
        return to_picker(rar_driver, [oracle.resource_detail(APPS_TEST)], accountant[0])

    def target(self, rar_driver, picker_url, accountant, altinn_demo):
        """An eligible main unit without sub-units, with a name no other has, that is
        not on the first page."""
        pid, eligible = accountant
        first_page = set(open_picker(rar_driver, picker_url).parties)
        everyone = list(oracle.units(altinn_demo, pid))
        names = [unit.name.casefold() for unit in everyone]
        parents = {unit.parent for unit in everyone}
        for orgno in sorted(eligible - first_page):
            unit = oracle.unit_of(altinn_demo, pid, orgno)
            alone = unit.parent is None and unit.orgno not in parents
            if alone and names.count(unit.name.casefold()) == 1:
                return unit
        raise AssertionError("no organisation beyond the first page")

    def test_first_page_is_cut_and_asks_for_a_search(
        self, rar_driver, rar_provider, picker_url, accountant
    ):
        page = open_picker(rar_driver, picker_url)

        page_size = rar_provider.settings.picker_page_size
        assert 0 < len(page.parties) <= page_size < len(accountant[1])
        assert set(page.parties) <= accountant[1]
        assert page.truncated
        assert page.has_search

    def matching(self, altinn_demo, pid, orgno, predicate):
        unit = oracle.unit_of(altinn_demo, pid, orgno)
        parent = oracle.unit_of(altinn_demo, pid, unit.parent) if unit.parent else None
        return predicate(unit) or (parent is not None and predicate(parent))

    def test_search_by_part_of_a_name(self, rar_driver, picker_url, accountant, altinn_demo):
        unit = self.target(rar_driver, picker_url, accountant, altinn_demo)
        query = unit.name[1:-3].lower()

        page = open_picker(rar_driver, picker_url, query)

        assert unit.orgno in page.parties
        assert len(page.parties) < len(open_picker(rar_driver, picker_url).parties)
        for orgno in page.parties:
            assert self.matching(
                altinn_demo, accountant[0], orgno, lambda u: query in u.name.casefold()
            ), orgno

    def test_search_by_organisation_number_digits(
        self, rar_driver, picker_url, accountant, altinn_demo
    ):
        unit = self.target(rar_driver, picker_url, accountant, altinn_demo)
        digits = unit.orgno[1:8]

        page = open_picker(rar_driver, picker_url, digits)

        assert unit.orgno in page.parties
        for orgno in page.parties:
            assert self.matching(altinn_demo, accountant[0], orgno, lambda u: digits in u.orgno)

    def test_organisation_found_by_search_can_be_chosen(
        self, rar_driver, picker_url, accountant, altinn_demo
    ):
        unit = self.target(rar_driver, picker_url, accountant, altinn_demo)
        searched = f"{picker_url}?q={unit.orgno}"
        assert open_picker(rar_driver, searched).parties == [unit.orgno]

        tokens = redeem_details(rar_driver, rar_driver.choose(searched, parties=[unit.orgno]))

        [granted] = tokens["authorization_details"]
        assert granted["authorized_parties"] == [
            oracle.party_entry(altinn_demo, accountant[0], unit.orgno, APPS_TEST)
        ]


def test_nobody_to_represent_goes_straight_back_as_oneself(rar_driver, altinn_people, altinn_demo):
    pid = altinn_people["no_parties"]
    assert not oracle.eligible(altinn_demo, pid, APPS_TEST)

    response = rar_driver.login(rar_driver.start([oracle.resource_detail(APPS_TEST)]), pid)
    assert response.status_code == 303
    if "/organisation/" in response.headers["location"]:
        # the registers are asked on the picker's URL; it must send the browser on at once
        response = rar_driver.browser.get(response.headers["location"])

    tokens = redeem_details(rar_driver, response)
    assert tokens["authorization_details"] == [{"type": oracle.RESOURCE_TYPE}]
