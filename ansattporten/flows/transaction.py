"""Loading a login safely, for every step after /authorize.

A login is bound to the browser that started it: the browser holds a random cookie,
the login holds its hash. A link to someone else's half-finished login is worthless
without that cookie, and a form posted without the login's CSRF token changes nothing.
Only then may a step asked for after the login moved on be answered with where the
login is now (`resume`).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from ansattporten.flows.context import Provider
from ansattporten.flows.resume import resume_login
from ansattporten.outcomes import Outcome, error_page
from ansattporten.records import Login, Stage
from ansattporten.records.ids import hashed, is_login_id


async def load_login(
    provider: Provider,
    login_id: str,
    browser_id: str | None,
    *,
    stage: Stage | tuple[Stage, ...],
    form: Mapping[str, str] | None = None,
    resume: bool = False,
) -> Login | Outcome:
    """The login, if this browser may continue it at `stage`; otherwise the page that
    says why. With `form` (a POST), the form's CSRF token must be the login's. With
    `resume`, a login that has moved on answers with where it is now (`resume`): the
    step is being retried, or an earlier address opened again."""
    login = await provider.store.load_login(login_id) if is_login_id(login_id) else None
    if login is None:
        return error_page("error.transaction_unknown", status=404)
    lang = login.request.locale
    if login.expires_at < provider.clock():
        return error_page("error.transaction_expired", status=400, lang=lang)
    if not browser_id or not hmac.compare_digest(login.browser_hash, hashed(browser_id)):
        return error_page("error.transaction_other_browser", status=403)
    if form is not None and not csrf_matches(login, form.get("csrf_token")):
        return error_page("error.csrf", status=403, lang=lang)
    if login.stage not in ((stage,) if isinstance(stage, str) else stage):
        if resume:
            return await resume_login(provider, login, browser_id)
        return error_page("error.transaction_finished", status=409, lang=lang)
    return login


def csrf_matches(login: Login, presented: str | None) -> bool:
    # bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500)
    return bool(presented) and hmac.compare_digest(
        login.csrf_token.encode(), (presented or "").encode()
    )
