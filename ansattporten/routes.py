"""The provider's paths, written once: the web layer routes them, the flows build links
and redirects from them, discovery publishes them."""

from __future__ import annotations

from typing import Final

AUTHORIZE: Final = "/authorize"
PAR: Final = "/par"
TOKEN: Final = "/token"
USERINFO: Final = "/userinfo"
JWKS: Final = "/jwks.json"
INTROSPECT: Final = "/token/introspect"
REVOKE: Final = "/token/revoke"
LOGOUT: Final = "/logout"
DISCOVERY: Final = ("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")
BACK_CHANNEL: Final = (TOKEN, PAR, INTROSPECT, REVOKE)
"""Endpoints services call with their client credentials."""

LOGIN: Final = "/login/{login_id}"
"""The eID step: the eID selector, or the one eID that fits the request."""
LOGIN_CHOOSE_EID: Final = "/login/{login_id}/eid"
"""The selector's form: the person chose an eID."""
LOGIN_WITH: Final = "/login/{login_id}/with/{eid}"
"""A form eID's page (TestID) when it was chosen on the selector."""
LOGIN_EID: Final = "/login/{login_id}/{eid}"
"""A form eID's form is posted here."""
EID_CALLBACK: Final = "/eid/{eid}/callback"
"""Where an upstream eID sends the person back (its redirect_uri there): one path per
eID, so one upstream's answer can never arrive as another's."""
LOGIN_CANCEL: Final = "/login/{login_id}/cancel"
LOGIN_RETURN: Final = "/login/{login_id}/return"
"""After a failed login: back to the service, which learns the error."""
LOGIN_FAILED: Final = "/login/{login_id}/failed"
"""A failed login's page again (the language switcher comes back here)."""
LANGUAGE: Final = "/language"
"""The language switcher."""
ORGANISATION: Final = "/organisation/{login_id}"
"""The organisation picker."""


def route(path: str) -> str:
    """`path` as the web framework declares it: every parameter a string."""
    return path.replace("}", ":str}")
