"""The upstream id_token's checks (OpenID Connect Core 3.1.3.7), each refusing what it
should: algorithm, key, signature, issuer (and Entra's tenant template), audience and
azp, times, nonce."""

from __future__ import annotations

import time
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


@pytest.mark.parametrize(
    ("token", "why"),
    [
        (unsigned(claims()), "not accepted"),
        (signed(SHARED, claims(), "HS256"), "not accepted"),
        (signed(KEY, claims(), kid=None), "names no key"),
        (signed(new_key("k1"), claims()), "signature"),  # same kid, another key
        (signed(new_key("k2"), claims()), "not published"),
        (signed(KEY, claims(iss="https://other.example")), "another issuer"),
        (signed(KEY, claims(aud="someone-else")), "another client"),
        (signed(KEY, claims(aud=[CLIENT_ID, "other"])), "several audiences"),
        (signed(KEY, claims(azp="other")), "authorized party"),
        (signed(KEY, claims(exp=int(time.time()) - 3600)), "expired"),
        (signed(KEY, claims(exp=int(time.time()) - 1)), "expired"),  # exp before iat
        (signed(KEY, claims(iat=int(time.time()) + 3600, exp=int(time.time()) + 7200)), "iat"),
        (signed(KEY, claims(iat=int(time.time()) - 3600)), "iat"),
        (signed(KEY, claims(nbf=int(time.time()) + 3600)), "nbf"),
        (signed(KEY, claims(nonce="replayed")), "another nonce"),
        (signed(KEY, claims(nonce=None)), "another nonce"),
        (signed(KEY, claims(sub="")), "no sub"),
        (signed(KEY, claims(iat="yesterday")), "malformed claim"),
        ("not-a-jwt", "compact JWS"),
        ("a.b.c", "compact JWS"),
    ],
    ids=[
        "alg-none", "hmac", "no-kid", "bad-signature", "unknown-kid", "issuer", "audience",
        "audiences", "azp", "expired", "expired-at-issue", "iat-future", "iat-old", "nbf",
        "nonce", "no-nonce", "no-sub", "malformed", "garbage", "garbage-parts",
    ],
)  # fmt: skip
async def test_each_check_refuses(token: str, why: str) -> None:
    with pytest.raises(UpstreamRefused, match=why):
        await verify(token)


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
