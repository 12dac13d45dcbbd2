"""RFC 9207 (Authorization Server Issuer Identification): `iss` on the redirect.

Adding `iss` to every authorization response lets a client that talks to several
providers (Ansattporten and ID-porten, say) detect a mix-up attack.
"""

from __future__ import annotations

__all__ = ["with_issuer"]


def with_issuer(params: dict[str, str], issuer: str) -> dict[str, str]:
    """A copy of the response `params` with `iss` set to `issuer` (RFC 9207 §2).

    Used for successful and error responses alike; `params` is not modified.
    """
    return {**params, "iss": issuer}
