"""Request bodies over `max_request_bytes` are refused with 413 at every endpoint that
reads a body - with or without Content-Length - and never become a 500."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.integration.security.support import http_client

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
PATHS = [
    "/token",
    "/par",
    "/token/introspect",
    "/token/revoke",
    "/authorize",
    "/logout",
    "/login/some-transaction/testid",
    "/login/some-transaction/cancel",
    "/organisation/some-transaction",
]


@pytest.fixture
def client(sec_provider) -> Iterator[httpx.Client]:
    with http_client(sec_provider.base_url) as http:
        yield http


def body_of(size: int) -> bytes:
    return b"grant_type=" + b"a" * (size - len(b"grant_type="))


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("chunked", [False, True], ids=["content_length", "chunked"])
def test_a_body_over_the_limit_is_413(client, sec_provider, path, chunked):
    body = body_of(sec_provider.settings.max_request_bytes + 1)
    content: bytes | Iterator[bytes] = body
    if chunked:
        content = iter([body[i : i + 8192] for i in range(0, len(body), 8192)])

    response = client.post(path, content=content, headers=FORM)

    assert response.status_code == 413, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text


def test_userinfo_never_reads_a_large_body(client, sec_provider):
    """/userinfo takes its token from the header only: a body is not read at all."""
    response = client.post(
        "/userinfo", content=body_of(sec_provider.settings.max_request_bytes + 1), headers=FORM
    )

    assert response.status_code == 401


@pytest.mark.parametrize("path", ["/token", "/par", "/token/revoke"])
def test_a_body_at_the_limit_is_read(client, sec_provider, path):
    """Control: the limit is the setting, not something smaller."""
    response = client.post(
        path, content=body_of(sec_provider.settings.max_request_bytes), headers=FORM
    )

    assert response.status_code in (400, 401), (response.status_code, response.text[:300])
