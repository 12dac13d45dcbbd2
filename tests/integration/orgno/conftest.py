"""A provider with the `ansattporten:orgno` source at a real employer-rules service, the
mock Entra ID and the mock Altinn, and logins through them over real HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from authz_sources.altinn.mock import DEMO_FIXTURE, create_mock_app
from tests.support.eid_driver import EidDriver, offered_orgnos
from tests.support.eid_stack import FJORDVIND, HAVBRIS
from tests.support.orgno_stack import OrgnoStack, run_orgno_stack
from tests.support.servers import serve_in_thread
from tests.support.tokens import verified_claims

ORGNO = "ansattporten:orgno"
ALL = "idporten-loa-substantial eidas-loa-substantial entraid"
NORA = (FJORDVIND, "f0abf0ba-bcc0-56e3-8d06-3f7f4ea3ccb1")
SINDRE = (FJORDVIND, "12389352-b5c2-56c9-98dd-a15e610ab319")
EVA = (FJORDVIND, "0eeed0e2-7111-5e8f-bd87-31ab7e98eed7")  # no e-mail address
JON = (HAVBRIS, "29198fd6-8888-5ab7-b801-7e568ace2002")
KARI = (HAVBRIS, "b81ea541-2cc3-5c5a-ab1f-570169f790c9")  # no rule names her
LARS = "23865938772"  # a TestID person (a Norwegian number, no e-mail)


@pytest.fixture(scope="module")
def mock_altinn() -> Iterator[str]:
    with serve_in_thread(create_mock_app(DEMO_FIXTURE)) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, mock_altinn: str) -> Iterator[OrgnoStack]:
    with run_orgno_stack(tmp_path_factory.mktemp("orgno"), mock_altinn) as running:
        yield running


class OrgnoLogin:
    """One login of an Entra user (or a TestID person) to `client_id`, up to the picker
    or the answer."""

    def __init__(self, stack: OrgnoStack, client_id: str) -> None:
        self.stack = stack
        self.driver = EidDriver(stack.eids.provider, client_id=client_id)

    def entra(self, who: tuple[str, str], **detail: Any) -> httpx.Response:
        login_url = self.driver.start([{"type": ORGNO, **detail}], acr_values=ALL)
        page = self.driver.upstream_via(login_url, "entraid")
        return self.driver.onwards(self.driver.arrive(self.driver.entra_sign_in(page, *who)))

    def testid(self, pid: str, **detail: Any) -> httpx.Response:
        login_url = self.driver.start([{"type": ORGNO, **detail}], acr_values=ALL)
        chosen = self.driver.choose_eid(login_url, "testid")
        return self.driver.onwards(self.driver.login(chosen.headers["location"], pid))

    @staticmethod
    def offered(picker: httpx.Response) -> list[str]:
        assert picker.status_code == 200, picker.text[:500]
        return sorted(offered_orgnos(picker.text))

    def choose(self, picker: httpx.Response, *orgnos: str) -> httpx.Response:
        return self.driver.choose(str(picker.url), parties=list(orgnos))

    def tokens(self, answer: httpx.Response) -> dict[str, Any]:
        """The token response, with the id_token's and access token's claims checked
        to carry the same `authorization_details`."""
        callback = self.driver.callback(answer)
        body: dict[str, Any] = self.driver.redeem(callback["code"]).json()
        provider = self.stack.eids.provider
        for token in (body["id_token"], body["access_token"]):
            claims = verified_claims(provider, token)
            assert claims["authorization_details"] == body["authorization_details"]
        return body


MakeLogin = Callable[..., OrgnoLogin]


@pytest.fixture
def login(stack: OrgnoStack) -> Iterator[MakeLogin]:
    made: list[OrgnoLogin] = []

    def make(client_id: str = "confidential-service") -> OrgnoLogin:
        made.append(OrgnoLogin(stack, client_id))
        return made[-1]

    yield make
    for one in made:
        one.driver.close()
