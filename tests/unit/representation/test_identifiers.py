"""A register is asked only about people it can look up (its `identifiers`): a person
without a Norwegian number gets, from a register that knows only numbers, the object
with only `type` (organisation registers) or a refusal (person registers), without the
register being called; one that knows e-mail addresses is asked with what it knows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pytest

from ansattporten.rar import NoIdentifier, Representation
from ansattporten.records import Authentication, Person
from authz_sources import Party, RequestedDetail, Subject
from authz_sources.shared import SourceBase, shared_values

ORG = Party(orgno="310000001", name="FJORD AS")


class Recording(SourceBase[RequestedDetail]):
    def __init__(
        self,
        rar_type: str,
        identifiers: tuple[str, ...],
        about: Literal["organisations", "person"] = "organisations",
    ) -> None:
        super().__init__(rar_type.replace(":", "_"), {rar_type: RequestedDetail}, timeout_ms=500)
        self.identifiers = identifiers
        self.answers_about = about
        self.asked: list[Subject] = []

    def parse_detail(self, raw: Mapping[str, Any]) -> RequestedDetail:
        return RequestedDetail(**shared_values(raw))

    async def find_parties(self, subject: Subject, detail: RequestedDetail) -> list[Party]:
        self.asked.append(subject)
        return [ORG]

    async def grant(
        self, subject: Subject, detail: RequestedDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        self.asked.append(subject)
        return {"type": detail.type, "chosen": [p.orgno for p in chosen]}


def login(person: Person, eid: str = "idporten") -> Subject:
    authentication = Authentication(person=person, eid=eid, acr="eidas-loa-high", amr=("eIDAS",),
                                    auth_time=0)  # fmt: skip
    return Representation.subject(authentication, "svc", "nb")


EIDAS = Person(eidas_person_identifier="DE/NO/7a3c", given_name="Jonas", family_name="Müller")
ENTRA = Person(entra_tid="t", entra_oid="o", email="a@b.example", groups=("g",))


async def test_a_register_of_numbers_is_not_asked_about_a_person_without_one() -> None:
    numbers = Recording("x:pid", ("pid",))
    representation = Representation([numbers])
    requested = representation.validate([{"type": "x:pid"}])
    offer = await representation.lookup(login(EIDAS), requested)
    assert offer.selectable() == []
    assert offer.unasked()
    granted = await representation.grant(login(EIDAS), requested, offer, [])
    assert granted.details == [{"type": "x:pid"}]
    assert numbers.asked == []


async def test_a_person_register_refuses_a_person_it_cannot_look_up() -> None:
    representation = Representation([Recording("x:hpr", ("pid",), "person")])
    requested = representation.validate([{"type": "x:hpr"}])
    with pytest.raises(NoIdentifier):
        await representation.lookup(login(EIDAS), requested)


async def test_a_register_that_knows_email_is_asked_with_it() -> None:
    numbers, email = Recording("x:pid", ("pid",)), Recording("x:mail", ("email", "entra_oid"))
    representation = Representation([numbers, email])
    requested = representation.validate([{"type": "x:mail"}])
    offer = await representation.lookup(login(ENTRA, "entraid"), requested)
    assert [p.orgno for p in offer.selectable()] == [ORG.orgno]
    [subject] = email.asked
    assert (subject.email, subject.entra_tid, subject.groups, subject.eid) == (
        "a@b.example",
        "t",
        ("g",),
        "entraid",
    )
    assert subject.pid is None


def test_which_identifiers_a_subject_has() -> None:
    subject = login(ENTRA)
    assert subject.answerable_by(("email",))
    assert subject.answerable_by(("pid", "entra_oid"))
    assert not subject.answerable_by(("pid",))
    assert not Subject(client_id="c", entra_tid="t").answerable_by(("entra_oid",))
