"""Code list 9060, "Kategori helsepersonell": the professions HPR approves.

Clients name professions by these codes in `professions`; keeping the table here lets
`parse_detail` reject a typo at the authorization request instead of silently matching
nobody at login time. The names are the register's Norwegian ones.
"""

from __future__ import annotations

from typing import Final

CODE_LIST_ID: Final = 9060

PROFESSIONS: Final[dict[str, str]] = {
    "AA": "Ambulansearbeider",
    "AT": "Apotektekniker",
    "AU": "Audiograf",
    "BI": "Bioingeniør",
    "ET": "Ergoterapeut",
    "FA1": "Provisorfarmasøyt",
    "FA2": "Reseptarfarmasøyt",
    "FO": "Fotterapeut",
    "FT": "Fysioterapeut",
    "HE": "Helsesekretær",
    "HF": "Helsefagarbeider",
    "HP": "Hjelpepleier",
    "JO": "Jordmor",
    "KE": "Klinisk ernæringsfysiolog",
    "KI": "Kiropraktor",
    "LE": "Lege",
    "OA": "Omsorgsarbeider",
    "OI": "Ortopediingeniør",
    "OP": "Optiker",
    "OR": "Ortoptist",
    "PE": "Perfusjonist",
    "PS": "Psykolog",
    "RA": "Radiograf",
    "SP": "Sykepleier",
    "TH": "Tannhelsesekretær",
    "TL": "Tannlege",
    "TP": "Tannpleier",
    "TT": "Tanntekniker",
    "VP": "Vernepleier",
    "XX": "Ukjent/uspesifisert",
}
"""Profession code -> name, from code list 9060."""
