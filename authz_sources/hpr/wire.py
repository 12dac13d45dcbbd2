"""The HPR REST record (`/v1/personerutvidet`) as typed Structs.

One definition serves both ends: the source validates every answer against it before
trusting a single approval, and the mock validates its fixture file against it, so the
mock cannot serve a shape the source would not accept. Only the fields the source reads
(or the mock must echo) are modelled; unknown fields in an answer are ignored, because
the real register carries more than we need and may grow.

Python names are snake_case; `rename="camel"` gives the register's camelCase, and the
three Norwegian names with letters outside ASCII are spelled out.
"""

from __future__ import annotations

import datetime as dt

import msgspec


def parse_hpr_date(value: str) -> dt.date:
    """A register date: `YYYY-MM-DD`, or a timestamp whose date part is that.

    The public client model shows plain dates; accepting a timestamp too costs nothing
    and keeps a register that sends `2010-06-01T00:00:00` from looking malformed.
    """
    head, sep, _ = value.partition("T")
    if len(head) != 10 or (sep and not value[11:12].isdigit()):
        raise ValueError(f"not a date: {value[:32]!r}")
    return dt.date.fromisoformat(head)


class Kodeverk(msgspec.Struct, frozen=True, kw_only=True):
    """Which code list a code comes from (e.g. 9060 for professions)."""

    id: int
    navn: str | None = None


class Kode(msgspec.Struct, frozen=True, kw_only=True):
    """A coded value: `verdi` is the code, `navn` its human-readable name."""

    verdi: str
    navn: str = ""
    kodeverk: Kodeverk | None = None


class Periode(msgspec.Struct, frozen=True, kw_only=True):
    """A validity period; a missing `til` means open-ended."""

    fra: str | None = None
    til: str | None = None

    def __post_init__(self) -> None:
        # Checked at decode time so that a malformed date fails the whole answer
        # (fail closed) instead of surfacing later as a half-filtered token.
        for value in (self.fra, self.til):
            if value is not None:
                parse_hpr_date(value)

    @property
    def start(self) -> dt.date | None:
        return None if self.fra is None else parse_hpr_date(self.fra)

    @property
    def end(self) -> dt.date | None:
        return None if self.til is None else parse_hpr_date(self.til)


class AdministrativReaksjon(msgspec.Struct, frozen=True, kw_only=True):
    """A supervisory reaction (suspension, revocation, limitation) and when it applies."""

    type: Kode
    periode: Periode = msgspec.field(default_factory=Periode)


class Rettighet(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """A right hanging off an approval: a requisition right, a specialist approval or an
    additional competence. Each has its own period, end status and reactions."""

    type: Kode
    periode: Periode = msgspec.field(default_factory=Periode)
    avsluttet_status: Kode | None = None
    administrative_reaksjoner: tuple[AdministrativReaksjon, ...] = ()


class Vilkar(msgspec.Struct, frozen=True, kw_only=True):
    """A condition attached to an approval (kept so the mock can serve it)."""

    type: Kode


class Godkjenning(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """One approval: a profession (code list 9060) with its authorisation kind."""

    helsepersonellkategori: Kode
    autorisasjon: Kode
    periode: Periode
    godkjent_turnus_dato: str | None = None
    rekvisisjonsretter: tuple[Rettighet, ...] = ()
    spesialistgodkjenninger: tuple[Rettighet, ...] = ()
    tilleggskompetanser: tuple[Rettighet, ...] = ()
    vilkar: tuple[Vilkar, ...] = msgspec.field(default=(), name="vilkår")
    avsluttet_status: Kode | None = None
    administrative_reaksjoner: tuple[AdministrativReaksjon, ...] = ()


class Person(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """Who the record is about, as Folkeregisteret knows them."""

    fornavn: str = ""
    mellomnavn: str | None = None
    etternavn: str = ""
    fodselsdato: str | None = msgspec.field(default=None, name="fødselsdato")
    dodsdato: str | None = msgspec.field(default=None, name="dødsdato")
    mangler_nin: bool = False
    nin: str | None = None


class HprRecord(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """The whole answer for one person."""

    hpr_nummer: int
    person: Person
    erstattet_av_hpr_nummer: int | None = None
    godkjenninger: tuple[Godkjenning, ...] = ()
    administrative_reaksjoner: tuple[AdministrativReaksjon, ...] = ()
    sist_oppdatert: str | None = None
    gjelder_for_dato: str | None = None

    def __post_init__(self) -> None:
        if self.hpr_nummer <= 0:
            raise ValueError("hprNummer must be a positive number")


class PersonQuery(
    msgspec.Struct, frozen=True, kw_only=True, rename="camel", forbid_unknown_fields=True
):
    """The body of `POST /v1/personerutvidet`."""

    nin: str
    at_date: str | None = None
    include_history: bool = False
