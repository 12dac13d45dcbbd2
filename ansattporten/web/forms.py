"""Reading query strings and form bodies as ordered (name, value) pairs.

The flows decide what a repeated parameter means, so nothing here collapses pairs into
a dict. Bodies that are not form-encoded, not UTF-8, or have too many fields are bad
requests, never crashes.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from ansattporten.errors import InvalidRequest
from ansattporten.web.state import AnyRequest

FORM_TYPE = "application/x-www-form-urlencoded"
MAX_FIELDS = 200


async def form_pairs(request: AnyRequest) -> list[tuple[str, str]]:
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type != FORM_TYPE:
        raise InvalidRequest(f"the request body must be {FORM_TYPE}")
    body = await request.body()
    return parse_pairs(body)


def parse_pairs(body: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidRequest("the request body is not a valid form") from exc


def query_pairs(request: AnyRequest) -> list[tuple[str, str]]:
    return parse_pairs(request.scope.get("query_string", b""))
