"""The floor login's checks: the client's Basic credentials, PKCE S256, form bodies, and
its two pages (escaped, readable by the benchmark's form reader)."""

from __future__ import annotations

import base64

import pytest

from bench import config, flows
from bench.floor_login_parts import (
    client_authenticated,
    form,
    login_page,
    picker_page,
    pkce_matches,
)


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def test_the_bench_client_with_its_secret_is_authenticated() -> None:
    assert client_authenticated(basic(config.CLIENT_ID, config.CLIENT_SECRET))


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        basic(config.CLIENT_ID, "wrong"),
        basic("someone-else", config.CLIENT_SECRET),
        "Basic " + base64.b64encode(config.CLIENT_ID.encode()).decode(),  # no colon
        "Basic not base64!",
        "Bearer " + base64.b64encode(b"a:b").decode(),
    ],
)
def test_anything_else_is_not(header: str | None) -> None:
    assert not client_authenticated(header)


def test_pkce_accepts_the_verifier_of_its_challenge_only() -> None:
    verifier, challenge = flows.pkce_pair()
    assert pkce_matches(verifier, challenge)
    assert not pkce_matches(verifier[:-1] + ("A" if verifier[-1] != "A" else "B"), challenge)
    assert not pkce_matches("", challenge)
    assert not pkce_matches("short", challenge)


def test_a_form_body_is_read_as_names_and_values() -> None:
    assert form(b"pid=01810012345&csrf=a%2Bb&empty=") == {
        "pid": "01810012345",
        "csrf": "a+b",
        "empty": "",
    }


def test_the_login_page_has_the_form_the_benchmark_fills_in() -> None:
    (found,) = flows.post_forms(login_page("/login/f1", "tok"))
    assert found.action == "/login/f1"
    assert found.hidden == [("csrf_token", "tok")]
    assert "pid" in found.names


def test_the_picker_offers_one_radio_per_party_with_names_escaped() -> None:
    page = picker_page("/picker/f1", "tok", [("310000001", "A & B <AS>"), ("310000002", "C")])
    (found,) = flows.post_forms(page)
    assert found.values["party"] == ["310000001", "310000002"]
    assert "A &amp; B &lt;AS&gt;" in page
    assert "<AS>" not in page
