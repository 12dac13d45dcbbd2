"""Brokered logins leave no identity number, e-mail address, eIDAS identifier, code or
state in the logs, at DEBUG, also when the upstream's answer is refused."""

from __future__ import annotations

from ansattporten.upstream_mocks.faults import Faults
from tests.integration.eids.conftest import ALL, JONAS_EIDAS, LARS, MakeDriver
from tests.integration.security.test_no_secrets_leak import Capture, assert_absent, logs
from tests.support.eid_stack import FJORDVIND, EidStack
from tests.support.login_driver import query_of

NORA = "f0abf0ba-bcc0-56e3-8d06-3f7f4ea3ccb1"
__all__ = ["logs"]  # the root logger at DEBUG, every record captured


def test_brokered_logins_leave_no_identifier_in_the_logs(
    make_driver: MakeDriver, stack: EidStack, logs: Capture
) -> None:
    secrets: dict[str, str] = {"pid": LARS, "eidas": JONAS_EIDAS}
    national = make_driver()
    callback = national.idporten_national(
        national.upstream_via(national.start(acr_values=ALL), "idporten"), LARS
    )
    secrets |= {"upstream_code": query_of(callback)["code"], "state": query_of(callback)["state"]}
    national.callback(national.onwards(national.arrive(callback)))

    foreign = make_driver()
    page = foreign.upstream_via(foreign.start(acr_values="eidas-loa-substantial"))
    foreign.onwards(foreign.arrive(foreign.idporten_eidas(page, JONAS_EIDAS, "eidas-loa-high")))

    entra = make_driver()
    page = entra.upstream_via(entra.start(acr_values="entraid"))
    entra_callback = entra.entra_sign_in(page, FJORDVIND, NORA)
    secrets["entra_code"] = query_of(entra_callback)["code"]
    secrets["email"] = "nora.berg@fjordvind.example"
    entra.onwards(entra.arrive(entra_callback))

    refused = make_driver()
    page = refused.upstream_via(refused.start(acr_values=ALL), "idporten")
    stack.idporten.faults = Faults(id_token_nonce="wrong")
    refused_callback = refused.idporten_national(page, LARS)
    secrets["refused_code"] = query_of(refused_callback)["code"]
    assert refused.arrive(refused_callback).status_code == 400

    assert any("eID 'idporten'" in line for line in logs.lines)  # the refusal is logged
    assert_absent(logs.texts, secrets)
