"""The person changes language in the middle of a login.

The login keeps its language with the transaction (the request's `locale`), so every
later page, the registers' answers (an approval's refusal, a resource's title) and the
`locale` claim follow the person's choice. Only the browser that started the login can
change it; the stage is left as it is.
"""

from __future__ import annotations

from ansattporten.flows.context import Provider
from ansattporten.flows.transaction import TransactionRefused, load_transaction

LIVE_STAGES = ("login", "choose", "failed")


async def switch_login_language(
    provider: Provider, interaction_id: str, browser_id: str | None, locale: str
) -> bool:
    """Set the login's language; False when there is no such login of this browser
    (the switcher then only remembers the choice for the browser)."""
    try:
        interaction = await load_transaction(
            provider, interaction_id, browser_id, stage=LIVE_STAGES
        )
    except TransactionRefused:
        return False
    if interaction.request.get("locale") == locale:
        return True
    request = dict(interaction.request) | {"locale": locale}
    return await provider.store.advance_interaction(
        interaction.id, interaction.stage, request=request
    )
