"""Loading a login transaction safely, for every step after /authorize.

A transaction is bound to the browser that started it: the browser holds a random
cookie, the transaction holds its hash. A link to someone else's half-finished login
is worthless without that cookie, and a form posted without the transaction's CSRF
token changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from ansattporten.flows.context import Provider
from ansattporten.flows.results import ShowPage, error_page
from ansattporten.store import Interaction


class TransactionRefused(Exception):
    """The request cannot continue this login; `page` says why to the person."""

    def __init__(self, page: ShowPage) -> None:
        super().__init__(page.context.get("message_key"))
        self.page = page


TRANSACTION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""What `new_id` makes; anything else (a NUL, a megabyte) is unknown without a lookup."""


def new_id() -> str:
    return secrets.token_urlsafe(32)


def browser_hash(browser_id: str) -> str:
    return hashlib.sha256(browser_id.encode()).hexdigest()


async def load_transaction(
    provider: Provider,
    interaction_id: str,
    browser_id: str | None,
    *,
    stage: str | tuple[str, ...],
    csrf_token: str | None = None,
    check_csrf: bool = False,
) -> Interaction:
    interaction = (
        await provider.store.get_interaction(interaction_id)
        if TRANSACTION_ID.fullmatch(interaction_id)
        else None
    )
    if interaction is None:
        raise TransactionRefused(error_page("error.transaction_unknown", status=404))
    lang = interaction.request.get("locale")
    if interaction.expires_at < provider.clock():
        raise TransactionRefused(error_page("error.transaction_expired", status=400, lang=lang))
    if not browser_id or not hmac.compare_digest(
        interaction.browser_hash, browser_hash(browser_id)
    ):
        raise TransactionRefused(error_page("error.transaction_other_browser", status=403))
    if check_csrf and not (
        # bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500)
        csrf_token and hmac.compare_digest(interaction.csrf_token.encode(), csrf_token.encode())
    ):
        raise TransactionRefused(error_page("error.csrf", status=403, lang=lang))
    stages = (stage,) if isinstance(stage, str) else stage
    if interaction.stage not in stages:
        raise TransactionRefused(error_page("error.transaction_finished", status=409, lang=lang))
    return interaction
