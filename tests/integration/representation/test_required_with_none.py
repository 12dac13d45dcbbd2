"""`representation_is_required` for a person with nobody to represent (spec 5): an error
page instead of a code, with a way back that tells the service `access_denied`."""

from __future__ import annotations

from tests.support import altinn_oracle as oracle
from tests.support.login_driver import query_of
from tests.support.pages import assert_page, way_back
from tests.support.representation import to_picker
from tests.support.tokens import rows

RESOURCE = "app_ttd_apps-test"


def test_required_representation_without_any_is_refused_with_a_way_back(
    rar_driver, rar_provider, altinn_people, altinn_demo
):
    pid = altinn_people["no_parties"]
    assert not oracle.eligible(altinn_demo, pid, RESOURCE)
    detail = oracle.resource_detail(RESOURCE, representation_is_required=True)

    picker = to_picker(rar_driver, [detail], pid)
    page = assert_page(rar_driver.browser.get(picker), 403)
    assert not page.parties
    assert "code=" not in str(page.links)

    back = query_of(way_back(rar_driver.browser, page, rar_driver.redirect_uri))
    assert back["error"] == "access_denied"
    assert back["state"] == rar_driver.state
    assert back["iss"] == rar_provider.settings.issuer
    assert "code" not in back

    outcomes = rows(
        rar_provider.settings.database_url,
        "SELECT outcome FROM audit_records WHERE pid = ? ORDER BY id DESC LIMIT 1",
        pid,
    )
    assert [row["outcome"] for row in outcomes] == ["no_representation"]
