"""Two provider instances on one PostgreSQL database: a session made at one serves a
silent login at the other, and a logout at the other ends it for both (and the service
is told, by whichever instance's worker claims the delivery)."""

from __future__ import annotations

from tests.integration.sessions.conftest import PID, CountingRegister, session_settings
from tests.integration.sessions.session_steps import DETAILS, id_token_of, where
from tests.support.login_driver import LoginDriver
from tests.support.logout_receiver import LogoutReceiver
from tests.support.provider import run_provider
from tests.support.tokens import verified_claims


def test_a_session_made_at_one_instance_is_used_at_the_other(
    postgres_url: str,
    register: tuple[CountingRegister, str],
    receiver: tuple[LogoutReceiver, str],
) -> None:
    settings = session_settings(register[1], receiver[1])
    with run_provider(postgres_url, settings) as first:
        issuer = first.settings.issuer
        with run_provider(postgres_url, {**settings, "issuer": issuer}) as second:
            at_first = LoginDriver(first.base_url, client_id="logout-service")
            # the cookies are host-only for 127.0.0.1, so the browser sends them to both
            at_second = LoginDriver(second.base_url, client_id="logout-service")
            at_second.browser.close()
            at_second.browser = at_first.browser
            try:
                callback = at_first.callback(at_first.login(at_first.start(), PID))
                tokens = at_first.redeem(callback["code"]).json()
                claims = verified_claims(first.base_url, tokens["id_token"])

                silent = at_second.browser.get(
                    f"{second.base_url}/authorize", params=at_second.params(DETAILS)
                )
                assert where(silent) == "picker"  # no eID: the session is in the database
                picker = silent.headers["location"].replace(issuer, second.base_url)
                again = id_token_of(at_second, at_second.choose(picker, self_choice=True))
                assert again["sid"] == claims["sid"]
                assert again["auth_time"] == claims["auth_time"]

                app = receiver[0]
                before = len(app.tokens)
                logout = at_second.browser.get(
                    f"{second.base_url}/logout", params={"id_token_hint": tokens["id_token"]}
                )
                assert logout.status_code == 200
                assert len(app.wait_for(before + 1)) == before + 1
                assert where(at_first.begin()) == "eid"  # ended for both instances
            finally:
                at_first.close()
                at_second.service.close()
