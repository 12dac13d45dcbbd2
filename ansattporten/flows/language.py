"""The person changes language in the middle of a login.

The login keeps its language with its request (`locale`), so every later page, the
registers' answers (an approval's refusal, a resource's title) and the `locale` claim
follow the person's choice. Only the browser that started the login can change it; the
stage is left as it is.
"""

from __future__ import annotations

import msgspec

from ansattporten.flows.context import Provider
from ansattporten.flows.transaction import load_login
from ansattporten.records import Login, Stage

LIVE_STAGES: tuple[Stage, ...] = ("login", "choose", "failed")


async def switch_login_language(
    provider: Provider, login_id: str, browser_id: str | None, locale: str
) -> bool:
    """Set the login's language; False when there is no such login of this browser
    (the switcher then only remembers the choice for the browser)."""
    login = await load_login(provider, login_id, browser_id, stage=LIVE_STAGES)
    if not isinstance(login, Login):
        return False
    if login.request.locale == locale:
        return True
    request = msgspec.structs.replace(login.request, locale=locale, locale_requested=True)
    return await provider.store.change_login_request(login.id, request)
