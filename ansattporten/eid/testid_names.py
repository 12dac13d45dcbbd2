"""Names for TestID's synthetic people.

Ansattporten's TestID takes the person's name from the synthetic population register
(Tenor), and the id_token carries it as `name` even for TestID: a published token says
`"name": "NEPE SKRAVLETE"`, and services such as Google Cloud's workforce federation
show it as the user's display name. We have no register of synthetic people, so TestID
names every synthetic number the way Tenor's names look (a noun as the given name, an
adjective as the family name, in capitals), derived from the number: the same number
gets the same name every time, on every instance.
"""

from __future__ import annotations

import hashlib

GIVEN_NAMES = (
    "NEPE", "GULROT", "HVAL", "MÅKE", "FJELL", "BJØRK", "ELG", "TORSK",
    "LYNG", "SKJELL", "BEKK", "ROGN", "TRANE", "KANTARELL", "OTER", "HUMLE",
    "MOLTE", "SEL", "GRAN", "LAKS", "SPURV", "HARE", "REIN", "LØK",
    "EPLE", "FURU", "STJERNE", "BØLGE", "RIPS", "SNØUGLE", "KNOTT", "VALNØTT",
)  # fmt: skip
FAMILY_NAMES = (
    "SKRAVLETE", "TRIVELIG", "STØDIG", "MODIG", "GLAD", "ROLIG", "KVIKK", "LUNEFULL",
    "SNILL", "FLITTIG", "UNDRENDE", "SOLID", "VENNLIG", "RASK", "OPPMERKSOM", "TÅLMODIG",
    "SPREK", "LUN", "KLOK", "MUNTER", "TREG", "NYSGJERRIG", "STILLFERDIG", "LEKEN",
    "ÆRLIG", "FROSSEN", "SØVNIG", "PRATSOM", "ORDENTLIG", "LUNKEN", "ROBUST", "SMIDIG",
)  # fmt: skip


def synthetic_name(pid: str) -> tuple[str, str]:
    """(given name, family name) for a synthetic national identity number."""
    digest = hashlib.sha256(b"testid-name:" + pid.encode()).digest()
    return GIVEN_NAMES[digest[0] % len(GIVEN_NAMES)], FAMILY_NAMES[digest[1] % len(FAMILY_NAMES)]
