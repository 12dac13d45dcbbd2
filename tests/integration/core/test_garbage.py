"""No request, however malformed, makes the provider fail with a 500 or show a stack
trace: Hypothesis sends garbage query strings, form bodies and headers (random and
invalid-UTF-8 bytes, huge values, wrong content types, repeated parameters, random
Authorization headers and cookies) to every endpoint, on SQLite and on PostgreSQL
(which refuses NUL characters that SQLite stores happily)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, quote_from_bytes, urlsplit

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ansattporten.flows.authorization_request import AUTHORIZE_PARAMETERS
from ansattporten.flows.token import TOKEN_PARAMETERS
from tests.support.login_driver import TLS, LoginDriver, forms_of
from tests.support.oauth_checks import sqlite_url_in
from tests.support.postgres import create_database
from tests.support.provider import RunningProvider, run_provider

ENDPOINTS = [
    ("GET", "/authorize"),
    ("POST", "/authorize"),
    ("POST", "/par"),
    ("POST", "/token"),
    ("GET", "/userinfo"),
    ("POST", "/userinfo"),
    ("POST", "/token/introspect"),
    ("POST", "/token/revoke"),
    ("GET", "/login/{id}"),
    ("POST", "/login/{id}/testid"),
    ("POST", "/login/{id}/cancel"),
    ("GET", "/login/{id}/return"),
    ("GET", "/organisation/{id}"),
    ("POST", "/organisation/{id}"),
    ("GET", "/logout"),
    ("POST", "/logout"),
    ("GET", "/jwks.json"),
    ("GET", "/.well-known/openid-configuration"),
    ("GET", "/.well-known/oauth-authorization-server"),
]

NAMES = sorted(
    AUTHORIZE_PARAMETERS
    | TOKEN_PARAMETERS
    | {"token", "token_type_hint", "id_token_hint", "post_logout_redirect_uri"}
    # the login and picker forms
    | {"csrf_token", "pid", "acr", "party", "self", "choose", "q"}
)
"""Every parameter some endpoint reads, so the garbage reaches real code paths."""

PLAUSIBLE = [
    "confidential-service",
    "post-service",
    "public-spa",
    "http://service.test/callback",
    "http://service.test/callback?x=1",
    "code",
    "token",
    "openid",
    "openid profile",
    "S256",
    "plain",
    "authorization_code",
    "refresh_token",
    "idporten-loa-substantial",
    "idporten-loa-high",
    "substantial",
    "query",
    "form_post",
    "none",
    "login",
    "0",
    "-1",
    "[]",
    "{}",
    "[{}]",
    "null",
    '[{"type":"ansattporten:altinn:resource","resource":1}]',
    '[{"type":"' + "x" * 300 + '"}]',
    "[" * 500,
    '"\\ud800"',
    "urn:ietf:params:oauth:request_uri:" + "A" * 43,
    "45840375084",
    "01015550089",
    "b7elB7ZyxIXgFyvBznKvxl7wOB-H17Pz0a3B62NIMFI",
    "xyo94uhy3zKvgB0NJwLms86SwcjtWviEOpkBnGgaLlo",
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    "eyJhbGciOiJub25lIn0.e30.",
    "\x00",
    "\ufeff",
    "\u202e",
    "%",
    "&",
    "=",
]

MAX_QUERY = 12_000
"""httpx refuses URLs over 64 kB; uvicorn answers 400 itself to heads over 16 kB."""

CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "APPLICATION/X-WWW-FORM-URLENCODED",
    "application/json",
    "text/plain",
    "multipart/form-data; boundary=x",
    "multipart/form-data",
    "application/octet-stream",
    "application/x-www-form-urlencoded;;;",
    ";",
    "*/*",
]


@dataclass(frozen=True)
class Known:
    """Real values from a login in progress, so garbage also reaches deeper code."""

    interaction_id: str
    browser_cookie: str
    csrf_token: str
    access_token: str
    id_token: str


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def garbage_provider(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningProvider]:
    if request.param == "sqlite":
        url = sqlite_url_in(tmp_path_factory)
    else:
        url = create_database(request.getfixturevalue("postgres_admin_url"))
    # the limiter stays on (it is garbage's first reader) but must not hide the flows
    overrides = {"login_attempts_per_minute": 1_000_000}
    with run_provider(url, overrides) as running:
        yield running


@pytest.fixture(scope="module")
def known(garbage_provider: RunningProvider, testid_people: dict[str, str]) -> Known:
    driver = LoginDriver(garbage_provider.base_url)
    try:
        tokens = driver.redeem(driver.login_for_code(testid_people["plain_employee"])).json()
        login_url = driver.start()
        page = driver.browser.get(login_url)
        csrf = next(iter(forms_of(page.text))).fields["csrf_token"]
        return Known(
            interaction_id=urlsplit(login_url).path.rsplit("/", 1)[1],
            browser_cookie=driver.browser.cookies["ap_browser"],
            csrf_token=csrf,
            access_token=tokens["access_token"],
            id_token=tokens["id_token"],
        )
    finally:
        driver.close()


@pytest.fixture(scope="module")
def client(garbage_provider: RunningProvider) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=garbage_provider.base_url, timeout=30, verify=TLS) as http:
        yield http


# --- strategies ----------------------------------------------------------------------------


def header_safe(raw: bytes) -> bytes:
    """What HTTP/1.1 lets a header value be (h11 refuses NUL, CR, LF and edge spaces)."""
    cleaned = bytes(b for b in raw if b not in b"\x00\r\n\x0b\x0c").strip(b" \t")
    return cleaned or b"x"


def encoded(value: str | bytes) -> str:
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return quote_from_bytes(raw, safe="")


huge = st.builds(
    lambda c, n: c * n,
    st.sampled_from(["a", "%", "&", "é", "\x00", "="]),
    st.integers(1_000, 20_000),
)
plausible = st.sampled_from(PLAUSIBLE)
raw_value = st.one_of(
    plausible,
    # a plausible value spoilt by one character: NUL, a surrogate, a BOM, a newline...
    st.tuples(
        plausible, st.sampled_from("\x00\ud800\ufeff\n\r\t %+&=;#\\\"'<"), st.integers(0, 60)
    ).map(lambda t: t[0][: t[2]] + t[1] + t[0][t[2] :]),
    st.text(max_size=40),
    st.binary(max_size=40),  # percent-encoded below: often invalid UTF-8
    huge,
)
raw_name = st.one_of(st.sampled_from(NAMES), st.text(max_size=20), st.binary(max_size=10))
junk = st.text(  # printable ASCII as it is, unescaped; `#` would end the URL's query
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="#"),
    max_size=30,
)


@st.composite
def form_text(draw: st.DrawFn, known: Known) -> str:
    """An `application/x-www-form-urlencoded` string of hostile pairs."""
    values = st.one_of(
        raw_value,
        st.sampled_from(
            [
                known.csrf_token,
                known.access_token,
                known.id_token,
                known.interaction_id,
            ]
        ),
    )
    pairs: list[tuple[str | bytes, str | bytes]] = draw(
        st.lists(st.tuples(raw_name, values), max_size=12)
    )
    repeat: bool = draw(st.booleans())
    if pairs and repeat:
        pairs.append(draw(st.sampled_from(pairs)))  # a repeated parameter
    parts = [f"{encoded(name)}={encoded(value)}" for name, value in pairs]
    if draw(st.booleans()):
        parts.append(draw(junk))  # "%zz", "a=b=c", "&&", ";"...
    return "&".join(draw(st.permutations(parts)))


@st.composite
def authorization(draw: st.DrawFn, known: Known) -> bytes | None:
    basic = lambda raw: b"Basic " + base64.b64encode(raw)  # noqa: E731
    header: bytes | None = draw(
        st.one_of(
            st.none(),
            st.binary(min_size=1, max_size=200).map(header_safe),
            st.binary(max_size=60).map(basic),
            st.sampled_from(
                [
                    b"confidential-service:",
                    b"public-spa:x",
                    b":",
                    b"confidential-service:confidential-secret-0123456789",
                    b"a\x00b:c",
                    b"\xff\xfe:\xff",
                ]
            ).map(basic),
            junk.map(lambda text: b"Basic " + text.encode()),
            junk.map(lambda text: b"Bearer " + text.encode()),
            st.sampled_from(
                [known.access_token, known.id_token, known.access_token[:-3] + "AAA"]
            ).map(lambda token: b"Bearer " + token.encode()),
        )
    )
    return header


@st.composite
def garbage_request(draw: st.DrawFn, method: str, path: str, known: Known) -> httpx.Request:
    if "{id}" in path:
        segment = draw(
            st.one_of(
                st.just(known.interaction_id),
                st.text(min_size=1, max_size=80).map(lambda text: quote(text, safe="")),
                st.binary(min_size=1, max_size=40).map(lambda raw: quote_from_bytes(raw, safe="")),
                st.sampled_from(["..", "%2e%2e", "%2F", "A" * 500, "%00", "%ff%fe", "~"]),
            )
        )
        path = path.replace("{id}", segment)
    query = draw(form_text(known)) if draw(st.booleans()) or method == "GET" else ""
    query = query[:MAX_QUERY]  # cut anywhere, even inside a %-escape
    target = path + ("?" + query if query else "")

    headers: list[tuple[bytes, bytes]] = []
    auth = draw(authorization(known))
    if auth is not None:
        headers.append((b"Authorization", auth))
    cookie = draw(
        st.one_of(
            st.none(),
            st.just(known.browser_cookie),
            junk,
            st.binary(max_size=60).map(lambda raw: raw.hex()),
        )
    )
    if cookie is not None:
        headers.append((b"Cookie", b"ap_browser=" + cookie.encode()))
    if draw(st.booleans()):
        headers.append((b"Accept-Language", header_safe(draw(st.binary(min_size=1, max_size=60)))))

    content: bytes = b""
    if method == "POST":
        content = draw(
            st.one_of(
                form_text(known).map(lambda text: text.encode()),
                # a form with raw bytes in it (invalid UTF-8, NUL, CR LF...)
                st.tuples(form_text(known), st.binary(min_size=1, max_size=20)).map(
                    lambda parts: parts[0].encode() + b"&x=" + parts[1]
                ),
                st.binary(max_size=2_000),
                st.just(b"a=" + b"b" * 70_000),  # larger than the provider accepts
                st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
            )
        )
        content_type = draw(
            st.one_of(
                st.just(b"application/x-www-form-urlencoded"),  # so the body is read
                st.sampled_from(CONTENT_TYPES).map(str.encode),
                st.binary(min_size=1, max_size=40).map(header_safe),
                st.none(),
            )
        )
        if content_type is not None:
            headers.append((b"Content-Type", content_type))
    url = httpx.URL("http://provider.invalid").copy_with(raw_path=target.encode("ascii"))
    return httpx.Request(method, url, headers=headers, content=content)


# --- NUL characters, which PostgreSQL refuses to store or compare ---------------------------

NUL_REQUESTS = [
    ("GET", "/authorize?client_id=confidential-service%00", {}, b""),
    ("GET", "/authorize?client_id=%00&redirect_uri=%00&request_uri=%00", {}, b""),
    ("POST", "/authorize", {}, b"client_id=a%00b&response_type=code"),
    ("POST", "/par", {}, b"client_id=public-spa%00&response_type=code"),
    ("POST", "/par", {"Authorization": "Basic YQBiOmM="}, b"response_type=code"),
    ("POST", "/token", {}, b"grant_type=authorization_code&code=x&client_id=public-spa%00"),
    ("POST", "/token", {"Authorization": "Basic YQBiOmM="}, b"grant_type=authorization_code"),
    ("POST", "/token", {}, b"grant_type=authorization_code&code=%00&client_id=public-spa"),
    ("POST", "/token", {}, b"grant_type=refresh_token&refresh_token=%00&client_id=a%00"),
    ("POST", "/token/introspect", {"Authorization": "Basic YQBiOmM="}, b"token=%00"),
    ("POST", "/token/revoke", {"Authorization": "Basic YQBiOmM="}, b"token=%00"),
    ("POST", "/token/revoke", {}, b"token=%00&client_id=public-spa%00"),
    ("GET", "/login/a%00b", {}, b""),
    ("POST", "/login/a%00b/testid", {}, b"csrf_token=%00&pid=%00"),
    ("POST", "/login/a%00b/cancel", {}, b"csrf_token=%00"),
    ("GET", "/login/a%00b/return", {}, b""),
    ("GET", "/organisation/a%00b", {}, b""),
    ("POST", "/organisation/a%00b", {}, b"csrf_token=%00&party=%00"),
    ("GET", "/logout?client_id=%00&id_token_hint=%00&post_logout_redirect_uri=%00", {}, b""),
    ("POST", "/logout", {}, b"client_id=%00&state=%00"),
    ("GET", "/userinfo", {"Authorization": "Bearer a\x01b"}, b""),
]


@pytest.mark.parametrize(
    ("method", "target", "headers", "body"),
    NUL_REQUESTS,
    ids=[f"{i}-{m} {t[:40]}" for i, (m, t, _, _) in enumerate(NUL_REQUESTS)],
)
def test_nul_characters_are_refused_not_crashed(
    client: httpx.Client,
    known: Known,
    method: str,
    target: str,
    headers: dict[str, str],
    body: bytes,
) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"} if method == "POST" else {}
    client.cookies.clear()
    response = client.request(
        method,
        client.base_url.copy_with(raw_path=target.encode()),
        headers={**form, "Cookie": f"ap_browser={known.browser_cookie}", **headers},
        content=body,
    )
    assert response.status_code < 500, (response.status_code, response.text[:1000])
    assert "Traceback" not in response.text


# --- the property --------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), ENDPOINTS, ids=[f"{m} {p}" for m, p in ENDPOINTS])
def test_no_500_for_garbage(
    client: httpx.Client,
    known: Known,
    garbage_provider: RunningProvider,
    method: str,
    path: str,
) -> None:
    on_sqlite = garbage_provider.settings.database_url.startswith("sqlite")

    @settings(
        max_examples=50 if on_sqlite else 25,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(data=st.data())
    def property_(data: st.DataObject) -> None:
        request = data.draw(garbage_request(method, path, known))
        request.url = client.base_url.copy_with(raw_path=request.url.raw_path)
        client.cookies.clear()
        try:
            response = client.send(request)
        except httpx.LocalProtocolError:
            assume(False)  # the client refused to send it; no rule of ours is involved
            raise
        assert response.status_code < 500, (response.status_code, response.text[:1000])
        assert "Traceback" not in response.text
        assert 'File "' not in response.text

    property_()
