"""Entra's way of saying no: an OAuth `error` with an `AADSTSnnnn: ...` description,
and at the token endpoint `error_codes`, `timestamp`, `trace_id` and `correlation_id`
(`v2-oauth2-auth-code-flow.md`, "Error response"). The codes are Microsoft's; the texts
paraphrase theirs.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from litestar import Response

from ansattporten.upstream_mocks.responses import json_response


def aadsts(code: int, message: str) -> str:
    """`AADSTS<code>: <message>` with the trace lines Entra appends."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    return (
        f"AADSTS{code}: {message}\r\nTrace ID: {uuid.uuid4()}\r\n"
        f"Correlation ID: {uuid.uuid4()}\r\nTimestamp: {now}"
    )


def token_error(error: str, code: int, message: str, status_code: int = 400) -> Response[bytes]:
    body: dict[str, Any] = {
        "error": error,
        "error_description": aadsts(code, message),
        "error_codes": [code],
        "timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%SZ"),
        "trace_id": str(uuid.uuid4()),
        "correlation_id": str(uuid.uuid4()),
    }
    return json_response(body, status_code)


TENANT_NOT_FOUND = 90002
APP_NOT_FOUND = 700016
REDIRECT_MISMATCH = 50011
MISSING_PARAMETER = 900144
INVALID_SCOPE = 70011
UNSUPPORTED_RESPONSE_TYPE = 700054
SILENT_NO_USER = 50058
APP_DISABLED = 7000112
USER_NOT_ASSIGNED = 50105
CONSENT_DECLINED = 65004
NO_CLIENT_CREDENTIALS = 7000218
BAD_CLIENT_SECRET = 7000215
BAD_CLIENT_ASSERTION = 700027
UNSUPPORTED_GRANT = 70003
CODE_EXPIRED = 70008
CODE_REDEEMED = 54005
BAD_GRANT_VALUE = 70000
PKCE_MISMATCH = 50148
BAD_REQUEST = 900561
