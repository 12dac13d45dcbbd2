"""`record_login_outcome`: what a browser step answered, counted from the outcome itself
(the URL is not parsed again), so a client whose callback path has /login/ in it is
still counted as a completed login, not a started one."""

from __future__ import annotations

from prometheus_client import REGISTRY

from ansattporten.outcomes import PostTo, RedirectTo
from ansattporten.web.metrics import record_login_outcome

ISSUER = "https://ansattporten.test"
CALLBACK = "https://service.example/login/callback"


def count(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_the_redirect_to_the_login_page_counts_a_started_login() -> None:
    before = count("ansattporten_logins_started_total")
    record_login_outcome(RedirectTo(f"{ISSUER}/login/abc", starts_login=True))
    assert count("ansattporten_logins_started_total") == before + 1


def test_a_code_sent_back_counts_a_completed_login_whatever_the_callback_path() -> None:
    started = count("ansattporten_logins_started_total")
    completed = count("ansattporten_logins_completed_total")

    sent = {"code": "c", "state": "s", "iss": ISSUER}
    record_login_outcome(RedirectTo(f"{CALLBACK}?code=c&state=s", response_params=sent))

    assert count("ansattporten_logins_completed_total") == completed + 1
    assert count("ansattporten_logins_started_total") == started


def test_an_error_sent_back_counts_a_failed_login_by_its_error_code() -> None:
    before = count("ansattporten_logins_failed_total", reason="access_denied")
    sent = {"error": "access_denied", "iss": ISSUER}
    record_login_outcome(RedirectTo(f"{CALLBACK}?error=access_denied", response_params=sent))
    assert count("ansattporten_logins_failed_total", reason="access_denied") == before + 1


def test_a_signed_response_counts_what_it_carries() -> None:
    """JARM's form_post.jwt posts only `response`; the outcome keeps what it signed."""
    completed = count("ansattporten_logins_completed_total")
    record_login_outcome(PostTo(CALLBACK, {"response": "a.b.c"}, response_params={"code": "c"}))
    assert count("ansattporten_logins_completed_total") == completed + 1


def test_a_redirect_between_the_providers_own_pages_counts_nothing() -> None:
    names = ("ansattporten_logins_started_total", "ansattporten_logins_completed_total")
    before = [count(name) for name in names]
    record_login_outcome(RedirectTo(f"{ISSUER}/organisation/abc"))
    assert [count(name) for name in names] == before
