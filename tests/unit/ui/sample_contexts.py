"""Realistic contexts for rendering the UI templates in tests and for looking at them.

The picker's list is built by the provider's own `picker_list`, from `Party` values as
the registers give them. Organisation numbers are made up but well-formed (9 digits,
valid mod-11 check digit).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ansattporten.flows.picker_groups import PickerState, picker_list
from ansattporten.web.i18n import Translator, default_catalogues
from authz_sources import Party

CSRF_TOKEN = "csrf-4f9c2e1b7a"
PAGE_SIZE = 50


def orgno(seed: int) -> str:
    """A 9-digit organisation number with a valid mod-11 check digit."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    base = 810_000_000 // 10 + seed * 7
    while True:
        digits = f"{base:08d}"[-8:]
        remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return digits + str(check)
        base += 1


def common(locale: str = "nb", **extra: Any) -> dict[str, Any]:
    """What every page receives."""
    translator: Translator = default_catalogues().translator(locale)
    return {"lang": locale, "t": translator, "csrf_token": CSRF_TOKEN, "static": "/static"} | extra


ACR_OPTIONS = [
    {"value": "idporten-loa-substantial", "label_key": "login.acr.substantial", "checked": True},
    {"value": "idporten-loa-high", "label_key": "login.acr.high", "checked": False},
]


def login_testid(locale: str = "nb", **overrides: Any) -> dict[str, Any]:
    context = common(
        locale,
        client_name="Skatteetaten – Altinn-tjenester for regnskapsførere",
        form_action="/login/0f3c9a/testid",
        acr_options=[dict(option) for option in ACR_OPTIONS],
        error_key=None,
        cancel_action="/login/0f3c9a/cancel",
        expires_in=840,
        deadline_url="/login/0f3c9a",
    )
    return context | overrides


SELECTOR_EIDS = [
    {"name": "testid", "label": "TestID", "description_keys": ["selector.offers.testid"]},
    {
        "name": "idporten",
        "label": "ID-porten",
        "description_keys": ["selector.offers.national", "selector.offers.eidas"],
    },
    {
        "name": "entraid",
        "label": "Microsoft Entra ID",
        "description_keys": ["selector.offers.entraid"],
    },
    {"name": "partner", "label": "Partner-IdP", "description_keys": []},
]
"""The eIDs of the demo and a plain OIDC provider, as `flows.eid_choice` lists them."""


def eid_selector(locale: str = "nb", **overrides: Any) -> dict[str, Any]:
    context = common(
        locale,
        client_name="Lønns- og personalsystemet",
        form_action="/login/0f3c9a/eid",
        eids=[dict(eid) for eid in SELECTOR_EIDS],
        cancelled_label=None,
        notices=[],
        cancel_action="/login/0f3c9a/cancel",
        expires_in=840,
        deadline_url="/login/0f3c9a",
    )
    return context | overrides


def small_parties() -> list[Party]:
    """A person in a small company group: two main units, sub-units, one deleted."""
    fjord = Party(
        orgno=orgno(1), name="Fjordbris Regnskap AS", unit_type="AS", rights=("regnskapsforer",)
    )
    return [
        fjord,
        Party(
            orgno=orgno(2),
            name="Fjordbris Regnskap AS avd. Bergen",
            unit_type="BEDR",
            parent_orgno=fjord.orgno,
        ),
        Party(
            orgno=orgno(3),
            name="Fjordbris Regnskap AS avd. Tromsø",
            unit_type="BEDR",
            parent_orgno=fjord.orgno,
        ),
        Party(
            orgno=orgno(4),
            name="Fjordbris Regnskap AS avd. Ålesund",
            unit_type="BEDR",
            is_deleted=True,
            parent_orgno=fjord.orgno,
        ),
        # Main unit the person may not act for; only its sub-unit is selectable.
        Party(orgno=orgno(5), name="Nordlys Eiendom Holding AS", unit_type="AS", selectable=False),
        Party(
            orgno=orgno(6),
            name="Nordlys Eiendom Holding AS Drift",
            unit_type="BEDR",
            parent_orgno=orgno(5),
        ),
        Party(orgno=orgno(7), name="Kari Nordmann Konsult", unit_type="ENK"),
    ]


_PLACES = ("Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø", "Bodø", "Ålesund", "Ærøy", "Hamar")
_TRADES = ("Bygg", "Rør", "Elektro", "Transport", "Frisør", "Bakeri", "Tannlege", "Øko", "Maskin")
_FORMS = ("AS", "ENK", "DA", "ANS", "SA")


def accountant_parties(count: int = 300) -> list[Party]:
    """An accountant's client list: hundreds of small organisations, some with
    sub-units, names with Æ, Ø and Å."""
    parties: list[Party] = []
    for i in range(count):
        name = f"{_PLACES[i % len(_PLACES)]} {_TRADES[(i // 3) % len(_TRADES)]} {_FORMS[i % 5]}"
        main = Party(orgno=orgno(100 + i * 10), name=f"{name} {i + 1}", unit_type=_FORMS[i % 5])
        parties.append(main)
        if i % 6 == 0:
            parties += [
                Party(
                    orgno=orgno(101 + i * 10 + j),
                    name=f"{name} {i + 1} avd. {_PLACES[(i + j + 1) % len(_PLACES)]}",
                    unit_type="BEDR",
                    parent_orgno=main.orgno,
                )
                for j in range(2)
            ]
    return parties


CHOSEN = (orgno(150), orgno(1300))
"""Two of the accountant's clients, chosen on other pages or under other searches."""


def picker(
    locale: str = "nb",
    *,
    parties: Sequence[Party] | None = None,
    state: PickerState | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    state = state or PickerState()
    listing = picker_list(small_parties() if parties is None else parties, state, PAGE_SIZE)
    context = common(
        locale,
        client_name="Lønns- og personalsystemet",
        form_action="/organisation/0f3c9a",
        query=state.query,
        listing=listing,
        multiple=False,
        allow_self=False,
        notices=[],
        cancel_action="/login/0f3c9a/cancel",
        expires_in=840,
        deadline_url="/login/0f3c9a",
    )
    return context | overrides


def picker_accountant(
    locale: str = "nb", *, state: PickerState | None = None, **overrides: Any
) -> dict[str, Any]:
    """Hundreds of organisations: the server shows them a page at a time."""
    translator = default_catalogues().translator(locale)
    context = picker(
        locale,
        parties=accountant_parties(),
        state=state,
        multiple=True,
        allow_self=True,
        notices=[translator("picker.notice.source_unavailable")],
    )
    return context | overrides


REASONS = {
    "nb": "Registeret har ingen gyldig godkjenning for deg.",
    "nn": "Registeret har inga gyldig godkjenning for deg.",
    "en": "The register holds no valid approval for you.",
    "se": "Registaris ii leat dutnje gustovaš dohkkeheapmi.",
}
"""A register's own reason, as a register without a text of ours gives it."""


def error(locale: str = "nb", **overrides: Any) -> dict[str, Any]:
    """As the flows send it when a register refuses the person (a trusted client)."""
    context = common(
        locale,
        title_key="error.title",
        message_key="error.person_not_eligible",
        message_args={"reason": REASONS[locale]},
        back_url="/login/0f3c9a/return",
        retry_url=None,
        request_id="req-7f3a9c2d41e8",
    )
    return context | overrides


def error_untrusted(locale: str = "nb", **overrides: Any) -> dict[str, Any]:
    """An authorization request we cannot send back: no way back, a developer detail."""
    context = common(
        locale,
        title_key="error.title",
        message_key="error.untrusted_request",
        message_args={"detail": "redirect_uri is not registered for this client"},
        back_url=None,
        retry_url=None,
        request_id=None,
    )
    return context | overrides


def form_post(locale: str = "nb", **overrides: Any) -> dict[str, Any]:
    context = common(
        locale,
        redirect_uri="https://lonn.example.no/callback",
        params={
            "code": "SplxlOBeZQQYbYS6WxSbIA",
            "state": "af0ifjsldkj",
            "iss": "https://ap.example",
        },
    )
    return context | overrides


def message(locale: str = "nb", **overrides: Any) -> dict[str, Any]:
    context = common(
        locale, title_key="message.logged_out.title", message_key="message.logged_out.message"
    )
    return context | overrides


def samples(locale: str = "nb") -> dict[str, list[dict[str, Any]]]:
    """Every template with the contexts it is tested with."""
    return {
        "login_testid.html": [
            login_testid(locale, expires_in=100),
            login_testid(locale),
            login_testid(locale, error_key="login.error.invalid_pid"),
            login_testid(locale, error_key="login.error.invalid_acr"),
            login_testid(locale, other_eids_url="/login/0f3c9a"),
        ],
        "eid_selector.html": [
            eid_selector(locale),
            eid_selector(locale, cancelled_label="ID-porten", expires_in=100),
            eid_selector(
                locale,
                eids=[dict(eid) for eid in SELECTOR_EIDS[1:3]],
                notices=[default_catalogues().translator(locale)("selector.notice.choose")],
            ),
        ],
        "picker.html": [
            picker(locale),
            picker(locale, allow_self=True, multiple=True),
            picker_accountant(locale),
            picker_accountant(locale, state=PickerState(query="bergen bygg", chosen=CHOSEN)),
            picker_accountant(locale, state=PickerState(page=3, chosen=CHOSEN)),
            picker_accountant(locale, state=PickerState(show_all=True)),
            picker(locale, state=PickerState(query="xyz"), allow_self=True),
            picker(
                locale,
                notices=[default_catalogues().translator(locale)("picker.notice.choose_one")],
            ),
            picker(locale, parties=[]),
        ],
        "error.html": [
            error(locale),
            error(locale, message_key="error.hpr_not_eligible", message_args={}),
            error(locale, message_key="error.register_unavailable", message_args={}),
            error(
                locale,
                message_key="error.database_unavailable",
                message_args={},
                back_url=None,
                retry_url="/login/0f3c9a",
            ),
            error(
                locale,
                message_key="error.rate_limited",
                message_args={"seconds": 42},
                back_url=None,
            ),
            error(locale, message_key="error.transaction_expired", message_args={}, back_url=None),
            error(locale, message_key="error.not_found", message_args={}, back_url=None),
            error_untrusted(locale),
            *(
                error(locale, message_key=key, message_args={"eid": "ID-porten"})
                for key in (
                    "error.eid_unavailable",
                    "error.eid_answer_invalid",
                    "error.eid_failed",
                    "error.eid_not_allowed",
                )
            ),
            error(locale, message_key="error.eid_answer_unknown", message_args={}, back_url=None),
            error(locale, message_key="error.identifier_missing", message_args={}),
            error(
                locale,
                back_url=None,
                request_id=None,
                title_key=None,
                message_key=None,
                message_args=None,
            ),
        ],
        "form_post.html": [form_post(locale)],
        "message.html": [
            message(locale),
            message(locale, title_key="logout.title", message_key="logout.done"),
            message(locale, title_key="language.changed.title", message_key="language.changed"),
        ],
        "frontchannel_logout.html": [
            # the services' pages are blank here: a sample page must load nothing from
            # elsewhere, and without `continue_url` its script stays on the page
            common(locale) | {"frames": ["about:blank", "about:blank"], "continue_url": None},
        ],
    }
