"""What a rule must keep (`rules.check_spec`): client lists per filter, rights only on
a single-client `allow` rule, and the limits."""

from __future__ import annotations

import pytest

from employer_rules.rules import RuleError, RuleSpec, check_spec


def spec(
    client_filter: str, client_ids: tuple[str, ...] = (), rights: tuple[str, ...] = ()
) -> RuleSpec:
    return RuleSpec(
        orgno="318610584",
        kind="domain",
        value="oter.example",
        client_filter=client_filter,  # type: ignore[arg-type]
        client_ids=client_ids,
        rights=rights,
    )


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        (spec("all", ("a",)), "client_ids", "client_ids_not_allowed"),
        (spec("allow"), "client_ids", "client_ids_required"),
        (spec("deny"), "client_ids", "client_ids_required"),
        (spec("allow", ("a b",)), "client_ids", "client_id_invalid"),
        (spec("allow", ("a,b",)), "client_ids", "client_id_invalid"),
        (spec("allow", ("æ",)), "client_ids", "client_id_invalid"),
        (spec("allow", tuple(f"c{i}" for i in range(51))), "client_ids", "client_ids_too_many"),
        (spec("all", (), ("les",)), "rights", "rights_need_single_client"),
        (spec("deny", ("a",), ("les",)), "rights", "rights_need_single_client"),
        (spec("allow", ("a", "b"), ("les",)), "rights", "rights_need_single_client"),
        (spec("allow", ("a",), ("x" * 201,)), "rights", "right_invalid"),
        (spec("allow", ("a",), ("l\nes",)), "rights", "right_invalid"),
        (spec("allow", ("a",), ("les\x07",)), "rights", "right_invalid"),
        (spec("allow", ("a",), tuple(f"r{i}" for i in range(101))), "rights", "rights_too_many"),
    ],
)
def test_broken_rules_are_refused_with_field_and_reason(
    given: RuleSpec, field: str, code: str
) -> None:
    with pytest.raises(RuleError) as refused:
        check_spec(given)
    assert (refused.value.field, refused.value.code) == (field, code)


def test_a_single_client_allow_rule_may_carry_rights() -> None:
    checked = check_spec(spec("allow", ("a", "a"), ("les", " rapporter ", "les")))
    assert checked.client_ids == ("a",)  # the same client twice is one client
    assert checked.rights == ("les", "rapporter")
    assert checked.single_client == "a"


@pytest.mark.parametrize("ok", [spec("all"), spec("allow", ("a", "b")), spec("deny", ("a",))])
def test_rules_without_rights(ok: RuleSpec) -> None:
    assert check_spec(ok) == ok
