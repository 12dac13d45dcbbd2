"""The floor login served as the paired benchmark serves it (uvicorn, the bench's mock
Altinn, real HTTP), driven by the benchmark's own client: one whole login completes,
the picker offers what Altinn says, and the token endpoint refuses what a provider
must refuse."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin

import pytest

from bench import config, flows
from bench.floor_login import start_floor
from bench.processes import Server
from bench.run import start_mock_altinn, stopping
from bench.wire import Response, Session

SUBUNITS_OF_THE_AS = 3


@pytest.fixture(scope="module", params=["bare", "as designed"])
def floor(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The bare floor, and the floor as designed (an SQLite file, the provider's pages,
    the choice re-checked): every test holds for both."""
    logs = tmp_path_factory.mktemp("floor-logs")
    database = logs / "floor.db" if request.param == "as designed" else None
    with (
        stopping(start_mock_altinn(0, logs)) as altinn,
        stopping(start_floor(altinn.url, logs, database=database)) as server,
    ):
        yield server


@pytest.fixture
async def target(floor: Server, service: Session) -> flows.Target:
    return await flows.Target.discover("floor", floor.url, service)


@pytest.fixture
async def service() -> AsyncIterator[Session]:
    session = Session(keep_cookies=False)
    yield session
    await session.aclose()


@pytest.fixture
async def browser() -> AsyncIterator[Session]:
    session = Session()
    yield session
    await session.aclose()


async def authorize(target: flows.Target, browser: Session, service: Session) -> Response:
    """A pushed request, and the browser sent to /authorize with it (the 303 answer)."""
    _verifier, challenge = flows.pkce_pair()
    request_uri = await flows.push(target, service, challenge, "s", {})
    return await browser.get(
        target.authorize, params={"client_id": config.CLIENT_ID, "request_uri": request_uri}
    )


def claims(jwt: str) -> dict[str, Any]:
    payload = jwt.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * 4))
    return decoded


async def test_the_benchmark_client_logs_in_and_redeems_the_code(
    target: flows.Target, browser: Session, service: Session
) -> None:
    login = await flows.login(target, browser, service, config.person())
    body = await flows.redeem(target, service, login)

    id_token = claims(body["id_token"])
    assert id_token["iss"] == target.issuer
    assert id_token["aud"] == config.CLIENT_ID
    assert id_token["pid"] == config.person()
    (detail,) = id_token["authorization_details"]
    assert detail["resource"] == config.RESOURCE
    (party,) = detail["authorized_parties"]
    assert party["orgno"]["ID"] == f"0192:{config.ORGNO}"
    assert claims(body["access_token"])["authorization_details"] == [detail]


async def test_the_picker_offers_each_unit_from_altinn(
    target: flows.Target, browser: Session, service: Session
) -> None:
    answer = await authorize(target, browser, service)
    login_page = await browser.get(urljoin(answer.url, answer.headers["location"]))
    (login_form,) = [form for form in flows.post_forms(login_page.text) if "pid" in form.names]
    posted = await browser.post(
        urljoin(login_page.url, login_form.action),
        data={**dict(login_form.hidden), "pid": config.person()},
    )
    picker = await browser.get(urljoin(posted.url, posted.headers["location"]))

    (picker_form,) = [form for form in flows.post_forms(picker.text) if "party" in form.names]
    assert config.ORGNO in picker_form.values["party"]
    assert len(picker_form.values["party"]) == 1 + SUBUNITS_OF_THE_AS


async def test_a_code_is_redeemed_once_and_only_with_its_verifier(
    target: flows.Target, browser: Session, service: Session
) -> None:
    login = await flows.login(target, browser, service, config.person())
    wrong = flows.Login(login.code, login.verifier[::-1], 0.0, 0.0)
    with pytest.raises(flows.FlowError, match="token 400"):
        await flows.redeem(target, service, wrong)  # the code is spent by this attempt

    again = await flows.login(target, browser, service, config.person())
    await flows.redeem(target, service, again)
    with pytest.raises(flows.FlowError, match="token 400"):
        await flows.redeem(target, service, again)


async def test_a_wrong_client_secret_is_refused_at_par(floor: Server, target: flows.Target) -> None:
    stranger = Session(keep_cookies=False)
    try:
        answer = await stranger.post(
            target.par, data={"response_type": "code"}, auth=(config.CLIENT_ID, "not-the-secret")
        )
    finally:
        await stranger.aclose()
    assert answer.status_code == 401


async def test_the_login_page_is_refused_to_another_browser(
    target: flows.Target, browser: Session, service: Session
) -> None:
    answer = await authorize(target, browser, service)
    other = Session()
    try:
        page = await other.get(urljoin(answer.url, answer.headers["location"]))
    finally:
        await other.aclose()
    assert page.status_code == 400


def test_the_log_shows_no_error(floor: Server) -> None:
    assert "Traceback" not in floor.log_text()
