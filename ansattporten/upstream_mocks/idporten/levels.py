"""Levels of assurance and the ways to log in that the mock offers for them.

ID-porten's acr values (`oidc_protocol_id_token.md`): `idporten-loa-substantial`,
`idporten-loa-high` for the national eIDs, `eidas-loa-substantial`/`eidas-loa-high` for
eIDAS. A requested value is a minimum: asking for `high` offers only the eIDs at high,
asking for `substantial` offers all. ID-porten shows eIDAS only when an eIDAS value is
asked for, and with only eIDAS values it goes straight to the foreign login
(`oidc_func_eidas.md`). Without `acr_values` the national eIDs are offered at every level.

Each national way to log in has its `amr` (ID-porten's documented values) and the level
it reaches; TestID can be used at either level, as in ID-porten's test environment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

SUBSTANTIAL: Final = "idporten-loa-substantial"
HIGH: Final = "idporten-loa-high"
EIDAS_SUBSTANTIAL: Final = "eidas-loa-substantial"
EIDAS_HIGH: Final = "eidas-loa-high"
NATIONAL_LEVELS: Final = (SUBSTANTIAL, HIGH)
EIDAS_LEVELS: Final = (EIDAS_SUBSTANTIAL, EIDAS_HIGH)
ACR_VALUES: Final = (*NATIONAL_LEVELS, *EIDAS_LEVELS)


@dataclass(frozen=True, slots=True)
class LoginMethod:
    key: str
    label: str
    amr: tuple[str, ...]
    acr: str


NATIONAL_METHODS: Final = (
    LoginMethod("testid-substantial", "TestID", ("TestID",), SUBSTANTIAL),
    LoginMethod("testid-high", "TestID", ("TestID",), HIGH),
    LoginMethod("minid-otc", "MinID (SMS)", ("Minid-OTC",), SUBSTANTIAL),
    LoginMethod("minid-app", "MinID app", ("Minid-APP",), SUBSTANTIAL),
    LoginMethod("bankid", "BankID", ("BankID",), HIGH),
    LoginMethod("bankid-mobil", "BankID på mobil", ("BankID Mobil",), HIGH),
    LoginMethod("buypass", "Buypass", ("Buypass",), HIGH),
    LoginMethod("commfides", "Commfides", ("Commfides",), HIGH),
)
EIDAS_AMR: Final = ("eIDAS",)


@dataclass(frozen=True, slots=True)
class Offer:
    """What the login page offers for one request."""

    national: tuple[LoginMethod, ...]
    eidas_levels: tuple[str, ...]


def offer_for(acr_values: tuple[str, ...]) -> Offer:
    national_asked = [v for v in acr_values if v in NATIONAL_LEVELS]
    eidas_asked = [v for v in acr_values if v in EIDAS_LEVELS]
    if not acr_values:
        national_asked = [SUBSTANTIAL]
    national: tuple[LoginMethod, ...] = ()
    if national_asked:
        floor = min(NATIONAL_LEVELS.index(v) for v in national_asked)
        national = tuple(m for m in NATIONAL_METHODS if NATIONAL_LEVELS.index(m.acr) >= floor)
    eidas: tuple[str, ...] = ()
    if eidas_asked:
        floor = min(EIDAS_LEVELS.index(v) for v in eidas_asked)
        eidas = EIDAS_LEVELS[floor:]
    return Offer(national=national, eidas_levels=eidas)


def method(key: str) -> LoginMethod | None:
    return next((m for m in NATIONAL_METHODS if m.key == key), None)
