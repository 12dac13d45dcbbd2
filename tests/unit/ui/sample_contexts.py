"""Realistic contexts for rendering the UI templates in tests and for looking at them.

`Party` stands in for the provider's party type: the templates read only these attributes.
Organisation numbers are made up but well-formed (9 digits, valid mod-11 check digit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ansattporten.web.i18n import Translator, default_catalogues

CSRF_TOKEN = "csrf-4f9c2e1b7a"


@dataclass(frozen=True)
class Party:
    orgno: str
    name: str
    unit_type: str
    is_deleted: bool = False
    selectable: bool = True
    parent_orgno: str | None = None
    rights: tuple[str, ...] = field(default=())


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
        form_action="/login/testid/0f3c9a",
        acr_options=[dict(option) for option in ACR_OPTIONS],
        error_key=None,
        cancel_action="/interaction/0f3c9a/cancel",
    )
    return context | overrides


def small_groups() -> list[dict[str, Any]]:
    """A person in a small company group: two main units, sub-units, one deleted."""
    fjord = Party(orgno(1), "Fjordbris Regnskap AS", "AS", rights=("regnskapsforer",))
    fjord_subs = [
        Party(orgno(2), "Fjordbris Regnskap AS avd. Bergen", "BEDR", parent_orgno=fjord.orgno),
        Party(orgno(3), "Fjordbris Regnskap AS avd. Tromsø", "BEDR", parent_orgno=fjord.orgno),
        Party(
            orgno(4),
            "Fjordbris Regnskap AS avd. Ålesund",
            "BEDR",
            is_deleted=True,
            parent_orgno=fjord.orgno,
        ),
    ]
    # Main unit the person may not act for; only its sub-unit is selectable.
    nordlys = Party(orgno(5), "Nordlys Eiendom Holding AS", "AS", selectable=False)
    nordlys_subs = [
        Party(orgno(6), "Nordlys Eiendom Holding AS Drift", "BEDR", parent_orgno=nordlys.orgno)
    ]
    solo = Party(orgno(7), "Kari Nordmann Konsult", "ENK")
    return [
        {"party": fjord, "subunits": fjord_subs},
        {"party": nordlys, "subunits": nordlys_subs},
        {"party": solo, "subunits": []},
    ]


_PLACES = ("Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø", "Bodø", "Ålesund", "Hamar")
_TRADES = ("Bygg", "Rør", "Elektro", "Transport", "Frisør", "Bakeri", "Tannlege", "Maskin")
_FORMS = ("AS", "ENK", "DA", "ANS", "SA")


def accountant_groups(count: int = 50) -> list[dict[str, Any]]:
    """An accountant's client list: many small organisations, some with sub-units."""
    groups: list[dict[str, Any]] = []
    for i in range(count):
        name = f"{_PLACES[i % len(_PLACES)]} {_TRADES[(i // 3) % len(_TRADES)]} {_FORMS[i % 5]}"
        main = Party(orgno(100 + i * 10), f"{name} {i + 1}", _FORMS[i % 5])
        subs = []
        if i % 6 == 0:
            subs = [
                Party(
                    orgno(101 + i * 10 + j),
                    f"{name} {i + 1} avd. {_PLACES[(i + j + 1) % len(_PLACES)]}",
                    "BEDR",
                    parent_orgno=main.orgno,
                )
                for j in range(2)
            ]
        groups.append({"party": main, "subunits": subs})
    return groups


def picker(locale: str = "nb", **overrides: Any) -> dict[str, Any]:
    groups = small_groups()
    count = sum(1 + len(group["subunits"]) for group in groups)
    context = common(
        locale,
        client_name="Lønns- og personalsystemet",
        form_action="/interaction/0f3c9a/picker",
        search_action="/interaction/0f3c9a/picker",
        query="",
        groups=groups,
        multiple=False,
        allow_self=False,
        shown=count,
        total=count,
        truncated=False,
        notices=[],
        cancel_action="/interaction/0f3c9a/cancel",
    )
    return context | overrides


def picker_accountant(locale: str = "nb", **overrides: Any) -> dict[str, Any]:
    """Hundreds of organisations: the server shows the first 50 of 312 and says so."""
    translator = default_catalogues().translator(locale)
    context = picker(
        locale,
        groups=accountant_groups(50),
        shown=50,
        total=312,
        truncated=True,
        multiple=True,
        allow_self=True,
        notices=[translator("picker.notice.source_unavailable")],
    )
    return context | overrides


def error(locale: str = "nb", **overrides: Any) -> dict[str, Any]:
    """As the flows send it when a register refuses the person (a trusted client)."""
    context = common(
        locale,
        title_key="error.title",
        message_key="error.person_not_eligible",
        message_args={"reason": "HPR: no valid authorisation as a physician"},
        back_url="/login/0f3c9a/return",
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
            login_testid(locale),
            login_testid(locale, error_key="login.error.invalid_pid"),
            login_testid(locale, error_key="login.error.invalid_acr"),
        ],
        "picker.html": [
            picker(locale),
            picker(locale, allow_self=True, multiple=True),
            picker_accountant(locale),
            picker(locale, groups=[], shown=0, total=0, query="xyz", allow_self=True),
            picker(locale, groups=[], shown=0, total=0),
        ],
        "error.html": [
            error(locale),
            error_untrusted(locale),
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
        "message.html": [message(locale)],
    }
