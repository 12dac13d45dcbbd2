"""An upstream eID's login opens the same isolated session as TestID's: the same service
logs the person in again without the upstream, repeating what it vouched for, and a
request for a level that eID does not serve authenticates again."""

from __future__ import annotations

from tests.integration.eids.conftest import ALL, MakeDriver
from tests.integration.eids.test_entra_logins import NORA, entra_login, tokens
from tests.integration.sessions.session_steps import where
from tests.support.eid_stack import FJORDVIND, EidStack
from tests.support.tokens import verified_claims


def test_an_entra_login_is_repeated_silently_for_the_same_service(
    make_driver: MakeDriver, stack: EidStack
) -> None:
    driver = make_driver()
    first = verified_claims(
        stack.provider, tokens(driver, entra_login(driver, FJORDVIND, NORA))["id_token"]
    )
    assert driver.session_cookie

    silent = driver.begin(acr_values=ALL)
    assert where(silent) == "service"  # no selector, no upstream
    again = verified_claims(stack.provider, tokens(driver, silent)["id_token"])
    assert (again["sub"], again["acr"], again["amr"], again["auth_time"]) == (
        first["sub"],
        "entraid",
        first["amr"],
        first["auth_time"],
    )
    assert where(driver.begin(acr_values="idporten-loa-substantial")) == "eid"
    other = make_driver("second-service")
    other.browser.close()
    other.browser = driver.browser
    assert where(other.begin(acr_values=ALL)) == "eid"  # another service never sees it
