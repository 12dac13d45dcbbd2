"""DPoP proofs (RFC 9449) where the provider takes them: /par, /token and /userinfo.

DPoP is optional, as in ID-porten: a request without a `DPoP` header is an ordinary
bearer request. A request with one gets its proof checked (`spec.rfc9449`), against the
endpoint's public URL under the issuer (what the client sees, whatever proxy sits in
front), then:
- a server nonce, when the operator asks for one (`dpop_require_nonce`): answered
  `use_dpop_nonce` with a fresh `DPoP-Nonce` otherwise;
- the `jti` remembered in the database (every instance sees it) until the proof would
  be too old anyway: a replayed proof is refused.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from ansattporten.errors import InvalidDpopProof, UseDpopNonce
from ansattporten.flows.context import Provider
from ansattporten.records.ids import hashed
from ansattporten.spec import rfc9449
from ansattporten.spec.rfc9449 import DpopProof


async def checked_proof(
    provider: Provider,
    headers: Sequence[str],
    *,
    method: str,
    path: str,
    access_token: str | None = None,
) -> DpopProof | None:
    """The request's proof, checked; None when it sent none."""
    if not headers:
        return None
    if len(headers) > 1:
        raise InvalidDpopProof("send exactly one DPoP header")
    now = provider.clock()
    proof = rfc9449.verify_proof(
        headers[0],
        method=method,
        uri=provider.issuer + path,
        now=int(now),
        access_token=access_token,
    )
    check_nonce(provider, proof)
    await remember_jti(provider, proof)
    return proof


def check_nonce(provider: Provider, proof: DpopProof) -> None:
    if not provider.settings.dpop_require_nonce:
        return
    now = provider.clock()
    if proof.nonce is None or not rfc9449.is_current_nonce(proof.nonce, nonce_key(provider), now):
        raise UseDpopNonce(
            "the DPoP proof must carry the nonce in DPoP-Nonce", headers=nonce_headers(provider)
        )


async def remember_jti(provider: Provider, proof: DpopProof) -> None:
    """Refuse a proof seen before; its key's thumbprint is part of the key, so two
    clients' random jtis never collide."""
    key = "dpop:" + hashed(f"{proof.jkt}:{proof.jti}")
    now = provider.clock()
    if not await provider.store.remember_assertion(key, proof.remember_until, now):
        raise InvalidDpopProof("the DPoP proof has been used before")


def nonce_headers(provider: Provider) -> dict[str, str]:
    """`DPoP-Nonce` with the current nonce, on every answer of a DPoP endpoint when
    nonces are required (RFC 9449 8.2: a client picks up the newest as it goes)."""
    if not provider.settings.dpop_require_nonce:
        return {}
    return {"DPoP-Nonce": rfc9449.new_nonce(nonce_key(provider), provider.clock())}


def nonce_key(provider: Provider) -> bytes:
    """A key of its own for nonces, derived from the secret every instance shares."""
    return hmac.new(provider.pairwise_secret, b"dpop-nonce", hashlib.sha256).digest()
