"""Levels of assurance as a minimum: a higher level of the same kind meets a request
for a lower one, and the upstream is sent the lowest of each kind."""

from __future__ import annotations

import pytest

from ansattporten.vocabulary import lowest_per_family, satisfies


@pytest.mark.parametrize(
    ("returned", "requested", "met"),
    [
        ("idporten-loa-high", ["idporten-loa-substantial"], True),
        ("idporten-loa-substantial", ["idporten-loa-high"], False),
        ("eidas-loa-high", ["eidas-loa-substantial"], True),
        ("eidas-loa-substantial", ["idporten-loa-substantial"], False),
        ("idporten-loa-high", ["eidas-loa-substantial"], False),
        ("entraid", ["entraid"], True),
        ("entraid", ["idporten-loa-substantial"], False),
        ("idporten-loa-substantial", ["entraid"], False),
        ("idporten-loa-substantial", [], False),
    ],
)
def test_satisfies(returned: str, requested: list[str], met: bool) -> None:
    assert satisfies(returned, requested) is met


def test_lowest_per_family() -> None:
    assert lowest_per_family(
        ["idporten-loa-high", "idporten-loa-substantial", "eidas-loa-high", "entraid"]
    ) == ("idporten-loa-substantial", "eidas-loa-high", "entraid")
    assert lowest_per_family(["eidas-loa-high", "eidas-loa-substantial"]) == (
        "eidas-loa-substantial",
    )
