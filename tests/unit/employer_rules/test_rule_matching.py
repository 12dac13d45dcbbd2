"""How rules answer for a person (`rules.grants`): by e-mail, domain and group, each
client filter, rights only from a single-client rule, additive rules, sub-units."""

from __future__ import annotations

import pytest

from employer_rules.rules import Asker, RuleSpec, grants

MAIN, SUB, OTHER = "318610584", "311337432", "313873137"
GROUP = "0b5c2a43-6d4e-4f0a-9b1e-2c3d4e5f6a7b"
KARI = Asker(client_id="rapportering", email="kari@oter.example", groups=frozenset({GROUP}))


def rule(
    orgno: str = MAIN, kind: str = "email", value: str = "kari@oter.example", **more: object
) -> RuleSpec:
    return RuleSpec(orgno=orgno, kind=kind, value=value, client_filter="all", **more)  # type: ignore[arg-type]


def test_a_rule_for_the_address_grants() -> None:
    assert grants([rule()], KARI) == {MAIN: ()}


def test_a_rule_for_another_address_does_not() -> None:
    assert grants([rule(value="ola@oter.example")], KARI) == {}


def test_a_rule_for_the_domain_grants_every_address_in_it() -> None:
    assert grants([rule(kind="domain", value="oter.example")], KARI) == {MAIN: ()}


@pytest.mark.parametrize("domain", ["avd.oter.example", "example", "ter.example"])
def test_a_domain_rule_covers_exactly_that_domain(domain: str) -> None:
    assert grants([rule(kind="domain", value=domain)], KARI) == {}


def test_a_rule_for_one_of_the_groups_grants() -> None:
    assert grants([rule(kind="group", value=GROUP)], KARI) == {MAIN: ()}
    no_groups = Asker(client_id="rapportering", email="kari@oter.example")
    assert grants([rule(kind="group", value=GROUP)], no_groups) == {}


def test_a_person_without_e_mail_is_matched_by_groups_only() -> None:
    nameless = Asker(client_id="rapportering", groups=frozenset({GROUP}))
    rules = [rule(), rule(kind="domain", value="oter.example"), rule(OTHER, "group", GROUP)]
    assert grants(rules, nameless) == {OTHER: ()}


@pytest.mark.parametrize(
    ("client_filter", "client_ids", "asking", "granted"),
    [
        ("all", (), "rapportering", True),
        ("allow", ("rapportering",), "rapportering", True),
        ("allow", ("lonn", "rapportering"), "rapportering", True),
        ("allow", ("lonn",), "rapportering", False),
        ("deny", ("lonn",), "rapportering", True),
        ("deny", ("lonn", "rapportering"), "rapportering", False),
        ("allow", ("Rapportering",), "rapportering", False),  # client_ids are case-sensitive
    ],
)
def test_each_client_filter(
    client_filter: str, client_ids: tuple[str, ...], asking: str, granted: bool
) -> None:
    spec = RuleSpec(
        orgno=MAIN,
        kind="email",
        value="kari@oter.example",
        client_filter=client_filter,  # type: ignore[arg-type]
        client_ids=client_ids,
    )
    asker = Asker(client_id=asking, email="kari@oter.example")
    assert (MAIN in grants([spec], asker)) is granted


def test_rights_come_only_from_a_rule_for_exactly_this_one_client() -> None:
    single = RuleSpec(
        orgno=MAIN,
        kind="email",
        value="kari@oter.example",
        client_filter="allow",
        client_ids=("rapportering",),
        rights=("les", "rapporter"),
    )
    assert grants([single], KARI) == {MAIN: ("les", "rapporter")}
    to_another = Asker(client_id="lonn", email="kari@oter.example")
    assert grants([single, rule()], to_another) == {MAIN: ()}


def test_rules_are_additive_and_nothing_takes_access_away() -> None:
    denying = RuleSpec(
        orgno=MAIN,
        kind="domain",
        value="oter.example",
        client_filter="deny",
        client_ids=("rapportering",),
    )
    allowing = rule(kind="group", value=GROUP)
    assert grants([denying], KARI) == {}
    assert grants([denying, allowing], KARI) == {MAIN: ()}
    assert grants([allowing, denying], KARI) == {MAIN: ()}


def test_rights_of_several_single_client_rules_add_up() -> None:
    def single(value: str, rights: tuple[str, ...]) -> RuleSpec:
        return RuleSpec(
            orgno=MAIN,
            kind="email" if "@" in value else "group",
            value=value,
            client_filter="allow",
            client_ids=("rapportering",),
            rights=rights,
        )

    rules = [single("kari@oter.example", ("rapporter", "les")), single(GROUP, ("signer", "les"))]
    assert grants(rules, KARI) == {MAIN: ("les", "rapporter", "signer")}


def test_a_sub_unit_rule_grants_the_sub_unit_alone() -> None:
    assert grants([rule(SUB)], KARI) == {SUB: ()}


def test_each_organisation_is_answered_for_on_its_own() -> None:
    rules = [rule(MAIN), rule(SUB, "domain", "oter.example"), rule(OTHER, "email", "ola@x.example")]
    assert grants(rules, KARI) == {MAIN: (), SUB: ()}
