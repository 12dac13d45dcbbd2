"""PKCE (RFC 7636) as an upstream checks it at the token endpoint.

Written here rather than borrowed from the provider so that a broker whose challenge is
computed wrongly is caught by an implementation that did not share the mistake.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
S256_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")


def verifier_matches(verifier: str, challenge: str, method: str = "S256") -> bool:
    """Whether `verifier` answers `challenge` (method S256, or `plain` where allowed)."""
    if not VERIFIER.fullmatch(verifier):
        return False
    if method == "plain":
        computed = verifier
    elif method == "S256":
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    else:
        return False
    return hmac.compare_digest(computed.encode("ascii"), challenge.encode("utf-8"))
