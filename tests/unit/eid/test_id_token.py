"""The upstream id_token's checks (OpenID Connect Core 3.1.3.7), each refusing what it
should: algorithm, key, signature, issuer (and Entra's tenant template), audience and
azp, times, nonce."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from joserfc.jwk import OctKey

from ansattporten.eid.upstream.errors import UpstreamRefused
from ansattporten.eid.upstream.id_token import Expected, verify_id_token
from tests.unit.eid.upstream_fakes import (
    CLIENT_ID,
    NONCE,
    FakeUpstream,
    claims,
    config,
    metadata,
    new_key,
    signed,
    unsigned,
)

TID = "2e9678c1-f38a-58c6-a31a-797425a9263c"
KEY = new_key("k1")
SHARED = OctKey.generate_key(256, parameters={"kid": "k1"})


async def verify(token: str, upstream: FakeUpstream | None = None, **options: Any) -> Any:
    cfg = config(**options.pop("config", {}))
    upstream = upstream or FakeUpstream(KEY)
    return await verify_id_token(
        token,
        config=cfg,
        metadata=options.pop("metadata", metadata()),
        keys=upstream.keys(cfg),
        expected=Expected(nonce=options.pop("nonce", NONCE), now=time.time()),
    )


async def test_a_good_token_passes() -> None:
    checked = await verify(signed(KEY, claims()))
    assert checked["pid"] == "23865938772"


def now() -> int:
    return int(time.time())


CASES: dict[str, tuple[Callable[[], str], str]] = {
    "alg-none": (lambda: unsigned(claims()), "not accepted"),
    "hmac": (lambda: signed(SHARED, claims(), "HS256"), "not accepted"),
    "no-kid": (lambda: signed(KEY, claims(), kid=None), "names no key"),
    "bad-signature": (lambda: signed(new_key("k1"), claims()), "signature"),  # same kid
    "unknown-kid": (lambda: signed(new_key("k2"), claims()), "not published"),
    "issuer": (lambda: signed(KEY, claims(iss="https://other.example")), "another issuer"),
    "audience": (lambda: signed(KEY, claims(aud="someone-else")), "another client"),
    "audiences": (lambda: signed(KEY, claims(aud=[CLIENT_ID, "x"])), "several audiences"),
    "azp": (lambda: signed(KEY, claims(azp="other")), "authorized party"),
    "expired": (lambda: signed(KEY, claims(exp=now() - 3600)), "expired"),
    "expired-at-issue": (lambda: signed(KEY, claims(exp=now() - 1)), "expired"),
    "iat-future": (lambda: signed(KEY, claims(iat=now() + 3600, exp=now() + 7200)), "iat"),
    "iat-old": (lambda: signed(KEY, claims(iat=now() - 3600)), "iat"),
    "nbf": (lambda: signed(KEY, claims(nbf=now() + 3600)), "nbf"),
    "nonce": (lambda: signed(KEY, claims(nonce="replayed")), "another nonce"),
    "no-nonce": (lambda: signed(KEY, claims(nonce=None)), "another nonce"),
    "no-sub": (lambda: signed(KEY, claims(sub="")), "no sub"),
    "malformed": (lambda: signed(KEY, claims(iat="yesterday")), "malformed claim"),
    "garbage": (lambda: "not-a-jwt", "compact JWS"),
    "garbage-parts": (lambda: "a.b.c", "compact JWS"),
}
"""Each case's token is made when its test runs (its times are relative to then)."""


@pytest.mark.parametrize("case", list(CASES))
async def test_each_check_refuses(case: str) -> None:
    make, why = CASES[case]
    with pytest.raises(UpstreamRefused, match=why):
        await verify(make())


async def test_several_audiences_with_azp_naming_us_pass() -> None:
    await verify(signed(KEY, claims(aud=[CLIENT_ID, "other"], azp=CLIENT_ID)))


async def test_an_algorithm_the_upstream_does_not_advertise_is_refused() -> None:
    with pytest.raises(UpstreamRefused, match="not accepted"):
        await verify(
            signed(KEY, claims()),
            metadata=metadata(id_token_signing_alg_values_supported=["ES256"]),
        )


ENTRA = {"preset": "entraid", "issuer": "https://login.example/organizations/v2.0"}
TEMPLATE = "https://login.example/{tenantid}/v2.0"


async def test_multi_tenant_issuer_is_the_template_with_the_tokens_tid() -> None:
    upstream = FakeUpstream(KEY)
    upstream.extra = {"issuer": TEMPLATE}
    good = claims(iss=f"https://login.example/{TID}/v2.0", tid=TID, acr=None)
    await verify(signed(KEY, good), upstream, config=ENTRA, metadata=metadata(issuer=TEMPLATE))
    other = "13e32792-6b76-51c2-9e70-8cd065153def"
    for bad, why in (
        (claims(iss=f"https://login.example/{TID}/v2.0", tid=other), "another issuer"),
        (claims(iss=f"https://login.example/{TID}/v2.0", tid="common"), "tenant id"),
        (claims(iss=f"https://login.example/{TID}/v2.0"), "tenant id"),
    ):
        with pytest.raises(UpstreamRefused, match=why):
            await verify(
                signed(KEY, bad), upstream, config=ENTRA, metadata=metadata(issuer=TEMPLATE)
            )


async def test_a_key_published_for_another_issuer_is_refused() -> None:
    upstream = FakeUpstream(KEY)
    upstream.extra = {"issuer": "https://login.example/13e32792-6b76-51c2-9e70-8cd065153def/v2.0"}
    token = signed(KEY, claims(iss=f"https://login.example/{TID}/v2.0", tid=TID))
    with pytest.raises(UpstreamRefused, match="published for another issuer"):
        await verify(token, upstream, config=ENTRA, metadata=metadata(issuer=TEMPLATE))
