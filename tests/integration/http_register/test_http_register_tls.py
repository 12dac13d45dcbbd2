"""An HTTP register served over https with a certificate of a private CA: the source
refuses it by default (certifi's roots), talks to it when `ca_file` names the CA, and
refuses to start with a `ca_file` it cannot read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from authz_sources import SourceUnavailable, Subject
from authz_sources.registry import SourceConfigError, create_sources
from tests.integration.http_register.register_app import create_register_app, wire_party
from tests.support.private_ca import PrivateCa, make_private_ca
from tests.support.servers import serve_in_thread

PERSON = "14838010041"
TYPE = "myagency:role"
SUBJECT = Subject(pid=PERSON, client_id="test-client")


@pytest.fixture(scope="module")
def private_ca(tmp_path_factory: pytest.TempPathFactory) -> PrivateCa:
    return make_private_ca(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def register_url(private_ca: PrivateCa) -> Iterator[str]:
    state = create_register_app({PERSON: [wire_party("311000001", "FJELL AS")]})
    tls = {"ssl_certfile": str(private_ca.cert_file), "ssl_keyfile": str(private_ca.key_file)}
    with serve_in_thread(state.app, **tls) as base_url:
        yield f"{base_url}/ok"


def table(base_url: str, **settings: Any) -> dict[str, Any]:
    return {"kind": "http_register", "types": [TYPE], "base_url": base_url, **settings}


async def test_a_private_ca_is_not_trusted_by_default(register_url: str) -> None:
    [source] = create_sources({"agency": table(register_url)})
    detail = source.parse_detail({"type": TYPE})
    with pytest.raises(SourceUnavailable, match="its TLS certificate is not trusted"):
        await source.find_parties(SUBJECT, detail)
    await source.aclose()


async def test_the_ca_named_by_ca_file_is_trusted(register_url: str, private_ca: PrivateCa) -> None:
    [source] = create_sources({"agency": table(register_url, ca_file=str(private_ca.ca_file))})
    parties = await source.find_parties(SUBJECT, source.parse_detail({"type": TYPE}))
    assert [party.orgno for party in parties] == ["311000001"]
    await source.check_health()
    await source.aclose()


def test_a_ca_file_that_cannot_be_read_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(SourceConfigError, match=r"source 'agency': ca_file .*nowhere\.pem"):
        create_sources({"agency": table("https://x", ca_file=str(tmp_path / "nowhere.pem"))})
