"""Questions to Altinn's PDP: which requested actions does the person hold, per party?

One XACML JSON multi-request asks every (organisation, action) pair at once. The answer
is matched back through the attributes the request marks `IncludeInResult`, as the XACML
JSON profile prescribes, rather than by position.
"""

from __future__ import annotations

from collections.abc import Iterator

import msgspec

from authz_sources.altinn.wire import (
    ACTION_ATTRIBUTE,
    ORGNO_ATTRIBUTE,
    PERSON_IDENTIFIER,
    RESOURCE_ATTRIBUTE,
    XacmlAttribute,
    XacmlCategory,
    XacmlMultiRequests,
    XacmlReference,
    XacmlRequest,
    XacmlRequestRoot,
    XacmlResponse,
)
from authz_sources.errors import SourceUnavailable

MAX_DECISIONS = 1000
"""Decisions per request; larger questions are split."""


def build_request(pid: str, resource_id: str, orgnos: list[str], actions: tuple[str, ...]) -> bytes:
    """The JSON body asking every (organisation, action) pair."""
    subject = XacmlCategory(
        id="s", attribute=[XacmlAttribute(attribute_id=PERSON_IDENTIFIER, value=pid)]
    )
    action_categories = [
        XacmlCategory(
            id=f"a{index}",
            attribute=[
                XacmlAttribute(attribute_id=ACTION_ATTRIBUTE, value=action, include_in_result=True)
            ],
        )
        for index, action in enumerate(actions)
    ]
    resource_categories = [
        XacmlCategory(
            id=f"r{index}",
            attribute=[
                XacmlAttribute(attribute_id=RESOURCE_ATTRIBUTE, value=resource_id),
                XacmlAttribute(attribute_id=ORGNO_ATTRIBUTE, value=orgno, include_in_result=True),
            ],
        )
        for index, orgno in enumerate(orgnos)
    ]
    references = [
        XacmlReference(["s", action.id or "", resource.id or ""])
        for resource in resource_categories
        for action in action_categories
    ]
    request = XacmlRequest(
        access_subject=[subject],
        action=action_categories,
        resource=resource_categories,
        multi_requests=XacmlMultiRequests(request_reference=references),
    )
    return msgspec.json.encode(XacmlRequestRoot(request=request))


def _echoed(categories: list[XacmlCategory], attribute_id: str) -> str | None:
    """The value of an echoed attribute in a result, if present."""
    for category in categories:
        for attribute in category.attribute:
            if attribute.attribute_id == attribute_id:
                return attribute.value
    return None


def permits(
    answer: XacmlResponse, orgnos: list[str], actions: tuple[str, ...]
) -> Iterator[tuple[str, str]]:
    """The permitted (orgno, action) pairs; SourceUnavailable if the answer does not
    match the question (wrong number of results, a permit we cannot attribute)."""
    if len(answer.response) != len(orgnos) * len(actions):
        raise SourceUnavailable("Altinn PDP: answer does not match the question")
    asked_orgnos, asked_actions = set(orgnos), set(actions)
    for result in answer.response:
        if result.decision != "Permit":
            continue
        orgno = _echoed(result.category, ORGNO_ATTRIBUTE)
        action = _echoed(result.category, ACTION_ATTRIBUTE)
        if orgno is None or action is None:
            raise SourceUnavailable("Altinn PDP: a permit without the attributes asked back")
        if orgno not in asked_orgnos or action not in asked_actions:
            raise SourceUnavailable("Altinn PDP: a permit names something not asked about")
        yield orgno, action
