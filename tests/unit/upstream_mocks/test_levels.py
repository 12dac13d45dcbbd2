"""The mock ID-porten offers the eIDs the request's acr_values allow (a minimum level),
eIDAS only when asked for, and at only-eIDAS no national eID."""

from __future__ import annotations

import pytest

from ansattporten.upstream_mocks.idporten.levels import offer_for


@pytest.mark.parametrize(
    ("acr_values", "national", "eidas"),
    [
        ((), {"testid-substantial", "testid-high", "minid-otc", "minid-app", "bankid",
              "bankid-mobil", "buypass", "commfides"}, ()),
        (("idporten-loa-high",), {"testid-high", "bankid", "bankid-mobil", "buypass",
                                  "commfides"}, ()),
        (("eidas-loa-substantial",), set(), ("eidas-loa-substantial", "eidas-loa-high")),
        (("eidas-loa-high",), set(), ("eidas-loa-high",)),
        (("idporten-loa-high", "eidas-loa-substantial"),
         {"testid-high", "bankid", "bankid-mobil", "buypass", "commfides"},
         ("eidas-loa-substantial", "eidas-loa-high")),
    ],
)  # fmt: skip
def test_offer(acr_values: tuple[str, ...], national: set[str], eidas: tuple[str, ...]) -> None:
    offer = offer_for(acr_values)
    assert {m.key for m in offer.national} == national
    assert offer.eidas_levels == eidas
