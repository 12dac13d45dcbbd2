"""Property: a request that is valid except for malformed values in some of its
parameters never makes the provider answer 5xx or show a traceback.

tests/integration/core/test_garbage.py throws random bytes at every endpoint; this file
starts instead from a *valid, authenticated* request for each endpoint - a real refresh
token, a real client assertion, a real id_token_hint, a real login transaction with its
cookie and CSRF token - and spoils, drops or repeats some of its parameters, so the
malformed values reach the code behind authentication and behind the transaction checks
(refresh, revoke, logout, private_key_jwt, the login and picker forms)."""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansattporten.spec.rfc7523 import ASSERTION_TYPE
from tests.integration.security.support import PID, SecurityDriver, http_client, write_sql
from tests.support import altinn_oracle as oracle
from tests.support.login_driver import forms_of
from tests.support.representation import to_picker

REPRESENTED = "23865938772"
DETAIL = oracle.resource_detail("app_ttd_apps-test")
FORM = b"application/x-www-form-urlencoded"
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def b64(value: object) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


JWT_LIKE = [
    f"{b64({'alg': 'RS256', 'kid': 123})}.{b64([])}.",
    f"{b64({'alg': 'none'})}.{b64({'iss': 'jwt-service', 'exp': 'soon'})}.",
    f"{b64({'alg': 'RS256', 'kid': 'jwt-rs'})}.{b64({'exp': 1e309})}.AAAA",
    f"{b64({'alg': 'ES256', 'kid': None})}.{b64(b'not json')}.{b64(b'x' * 64)}",
    f"{b64({'alg': 'HS256', 'kid': 'jwt-rs'})}.{b64({'iss': ['jwt-service']})}.x",
    f"{b64({'alg': 'RS256', 'crit': ['exp']})}.{b64({'aud': {'a': 1}})}.",
    f"{b64(b'[')}.{b64(b'{')}.{b64(b']')}",
    "....",
    "a.b",
]
ODD = [
    "",
    " ",
    "\x00",
    "\ufeff",
    "\u202e",
    "æøå",
    "😀",
    "%",
    "%zz",
    "&",
    "=",
    "-1",
    "0",
    "1e309",
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    "[{}]",
    "[" * 200,
    '[{"type":"ansattporten:altinn:resource","resource":["x"]}]',
    '[{"type":"ansattporten:altinn:resource","resource":"urn:altinn:resource:' + "x" * 300 + '"}]',
    "urn:ietf:params:oauth:request_uri:" + "A" * 43,
    "http://evil.test/",
    "javascript:alert(1)",
    *JWT_LIKE,
]


def spoil(valid: str | bytes) -> st.SearchStrategy[str | bytes]:
    """Malformed versions of one parameter value. Positions are drawn independently of
    the value's length (then wrapped), so the strategy has the same shape whatever
    fresh value a test hands it - Hypothesis requires that to replay an example. A value
    that is already spoilt bytes is spoilt further as text (latin-1 keeps every byte)."""
    if isinstance(valid, bytes):
        valid = valid.decode("latin-1")
    return st.one_of(
        st.sampled_from(ODD),
        st.text(max_size=40),
        st.binary(max_size=30),  # sent percent-encoded: often invalid UTF-8
        st.integers(1_000, 9_000).map(lambda n: "a" * n),
        # the valid value, one character changed, cut, or extended
        st.tuples(st.integers(0, 1_000), st.sampled_from("\x00æ%.=& A")).map(
            lambda t: changed_at(valid, t[0] % max(len(valid), 1), t[1])
        ),
        st.integers(0, 1_000).map(lambda n: valid[: n % (len(valid) + 1)]),
        st.sampled_from(["æ", "\x00", ".x", "=="]).map(lambda tail: valid + tail),
    )


def changed_at(value: str, position: int, character: str) -> str:
    return value[:position] + character + value[position + 1 :]


def encode(value: str | bytes) -> str:
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return quote_from_bytes(raw, safe="")


@st.composite
def spoilt_pairs(draw: st.DrawFn, params: list[tuple[str, str]]) -> str:
    """Each parameter kept, dropped, spoilt or repeated; at least one changed."""
    out: list[tuple[str, str | bytes]] = []
    changed = False
    for name, value in params:
        action = draw(st.sampled_from(["keep", "keep", "drop", "spoil", "spoil", "repeat"]))
        changed |= action != "keep"
        if action == "keep":
            out.append((name, value))
        elif action == "spoil":
            out.append((name, draw(spoil(value))))
        elif action == "repeat":
            out += [(name, value), (name, draw(st.one_of(st.just(value), spoil(value))))]
    if not changed and params:
        name, value = draw(st.sampled_from(params))
        out = [(n, draw(spoil(v)) if n == name else v) for n, v in out]
    if draw(st.booleans()):
        out.append((draw(st.sampled_from(["x", "", "client_id", "code", "token"])), "ø"))
    return "&".join(f"{encode(n)}={encode(v)}" for n, v in out)


@dataclass
class Target:
    """A valid request: method, path, parameters and headers."""

    method: str
    path: str
    params: list[tuple[str, str]]
    headers: dict[str, str] = field(default_factory=dict)


def send(client: httpx.Client, target: Target, encoded: str) -> httpx.Response:
    client.cookies.clear()
    headers = dict(target.headers)
    if target.method == "GET":
        url = client.base_url.copy_with(raw_path=f"{target.path}?{encoded}".encode())
        return client.request("GET", url, headers=headers)
    headers["Content-Type"] = FORM.decode()
    return client.request("POST", target.path, headers=headers, content=encoded.encode())


def assert_no_server_error(response: httpx.Response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:800])
    assert "Traceback" not in response.text
    assert 'File "' not in response.text


def run_property(client: httpx.Client, make_target: Callable[[], Target], examples: int) -> None:
    @settings(SETTINGS, max_examples=examples)
    @given(data=st.data())
    def property_(data: st.DataObject) -> None:
        target = make_target()
        encoded = data.draw(spoilt_pairs(target.params))
        assert_no_server_error(send(client, target, encoded))

    property_()


# the known-good requests ------------------------------------------------------------------------


@pytest.fixture
def client(rar_provider) -> Iterator[httpx.Client]:
    with http_client(rar_provider.base_url) as http:
        yield http


def basic(driver: SecurityDriver) -> dict[str, str]:
    raw = f"{driver.client_id}:{driver.secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


@pytest.fixture
def refresher(make_rar_driver) -> SecurityDriver:
    return make_rar_driver("refresh-service")


@pytest.fixture
def signer(make_rar_driver) -> SecurityDriver:
    return make_rar_driver("jwt-service")


def assertion_params(driver: SecurityDriver) -> list[tuple[str, str]]:
    return [("client_assertion_type", ASSERTION_TYPE), ("client_assertion", driver.assertion())]


def test_authorize(client, refresher):
    params = list(
        refresher.params([DETAIL], acr_values="idporten-loa-high", ui_locales="en").items()
    )
    run_property(client, lambda: Target("GET", "/authorize", params), 60)


def test_par_with_private_key_jwt(client, signer):
    run_property(
        client,
        lambda: Target(
            "POST", "/par", list(signer.params([DETAIL]).items()) + assertion_params(signer)
        ),
        50,
    )


def test_token_authorization_code(client, refresher):
    def target() -> Target:
        code = refresher.login_for_code(PID)
        params = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", refresher.redirect_uri),
            ("code_verifier", refresher.verifier),
        ]
        return Target("POST", "/token", params, basic(refresher))

    run_property(client, target, 25)


def test_token_refresh_with_private_key_jwt(client, signer):
    refresh_token = [signer.tokens()["refresh_token"]]

    def target() -> Target:
        # keep a live refresh token when the last example used it successfully
        fresh = signer.refresh(refresh_token[0])
        refresh_token[0] = (
            fresh.json()["refresh_token"]
            if fresh.status_code == 200
            else signer.tokens()["refresh_token"]
        )
        params = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token[0]),
            ("scope", "openid"),
            ("authorization_details", json.dumps([DETAIL])),
            *assertion_params(signer),
        ]
        return Target("POST", "/token", params)

    run_property(client, target, 25)


@pytest.mark.parametrize("path", ["/token/introspect", "/token/revoke"])
def test_introspect_and_revoke(client, refresher, signer, path):
    tokens = refresher.tokens()
    choices = itertools.cycle([tokens["access_token"], tokens["refresh_token"], tokens["id_token"]])

    def target() -> Target:
        token = next(choices)
        if path.endswith("revoke"):
            params = [("token", token), ("token_type_hint", "refresh_token")]
            return Target("POST", path, params + assertion_params(signer))
        return Target(
            "POST", path, [("token", token), ("token_type_hint", "access_token")], basic(refresher)
        )

    run_property(client, target, 40)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_userinfo(client, refresher, method):
    token = refresher.tokens()["access_token"]

    @settings(SETTINGS, max_examples=30)
    @given(
        spoilt=spoil(token),
        scheme=st.sampled_from(["Bearer ", "bearer ", "Bearer  ", "Basic ", ""]),
    )
    def property_(spoilt: str | bytes, scheme: str) -> None:
        value = spoilt if isinstance(spoilt, str) else spoilt.decode("latin-1")
        header = (scheme + value).encode("utf-8")
        # only what HTTP/1.1 lets a header value be (the client refuses the rest)
        header = bytes(b for b in header if b == 0x09 or 0x20 <= b != 0x7F).strip() or b"x"
        client.cookies.clear()
        response = client.request(method, "/userinfo", headers={"Authorization": header})
        assert_no_server_error(response)

    property_()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_logout(client, refresher, method):
    tokens = refresher.tokens()
    params = [
        ("id_token_hint", tokens["id_token"]),
        ("client_id", "refresh-service"),
        ("post_logout_redirect_uri", "http://refresh.test/logged-out"),
        ("state", "after-logout"),
    ]
    run_property(client, lambda: Target(method, "/logout", params), 40)


# the login and picker forms, with cookie and transaction combinations ------------------------


@dataclass
class Transaction:
    interaction_id: str
    cookie: str
    csrf: str


def fresh_transaction(driver: SecurityDriver, picker: bool) -> Transaction:
    driver.browser.cookies.clear()
    url = to_picker(driver, [DETAIL], REPRESENTED) if picker else driver.start()
    page = driver.browser.get(url)
    csrf = next(iter(forms_of(page.text))).fields["csrf_token"]
    return Transaction(url.rstrip("/").split("/")[-1], driver.browser.cookies["ap_browser"], csrf)


@pytest.mark.parametrize(
    ("form", "path"),
    [
        ("login", "/login/{id}/testid"),
        ("login", "/login/{id}/cancel"),
        ("picker", "/organisation/{id}"),
    ],
)
def test_forms_with_transaction_combinations(client, make_rar_driver, rar_provider, form, path):
    owner = make_rar_driver("confidential-service")
    other = make_rar_driver("confidential-service")
    another = fresh_transaction(other, picker=form == "picker")
    fields = (
        [("pid", PID), ("acr", "idporten-loa-substantial")]
        if form == "login"
        else [("party", "000000000"), ("choose", "1"), ("self", "1")]
    )

    @settings(SETTINGS, max_examples=25)
    @given(
        which_id=st.sampled_from(["own", "other", "spoilt"]),
        which_cookie=st.sampled_from(["own", "other", "none", "spoilt"]),
        which_csrf=st.sampled_from(["own", "other", "none", "spoilt"]),
        expired=st.booleans(),
        data=st.data(),
    )
    def property_(
        which_id: str, which_cookie: str, which_csrf: str, expired: bool, data: st.DataObject
    ) -> None:
        own = fresh_transaction(owner, picker=form == "picker")
        if expired:
            write_sql(
                rar_provider.settings.database_url,
                "UPDATE interactions SET expires_at = 0 WHERE id = ?",
                own.interaction_id,
            )
        pick = {"own": own, "other": another}
        interaction = (
            pick[which_id].interaction_id
            if which_id in pick
            else encode(data.draw(spoil(own.interaction_id)))
        )
        headers = {}
        if which_cookie != "none":
            cookie = (
                pick[which_cookie].cookie
                if which_cookie in pick
                else data.draw(st.text(alphabet="abcdefXYZ0123456789-_", max_size=80))
            )
            headers["Cookie"] = f"ap_browser={cookie}"
        params = list(fields)
        if which_csrf != "none":
            csrf = pick[which_csrf].csrf if which_csrf in pick else data.draw(spoil(own.csrf))
            params.append(("csrf_token", csrf))  # type: ignore[arg-type]
        encoded = (
            data.draw(spoilt_pairs(params))
            if data.draw(st.booleans())
            else "&".join(f"{encode(n)}={encode(v)}" for n, v in params)
        )
        target = Target("POST", path.replace("{id}", interaction), [], headers)
        assert_no_server_error(send(client, target, encoded))

    property_()


def test_picker_search_query(client, make_rar_driver):
    driver = make_rar_driver("confidential-service")
    own = fresh_transaction(driver, picker=True)
    target = Target(
        "GET",
        f"/organisation/{own.interaction_id}",
        [("q", "AS")],
        {"Cookie": f"ap_browser={own.cookie}"},
    )
    run_property(client, lambda: target, 40)
