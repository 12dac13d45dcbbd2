"""The mock's policy decision point: XACML JSON multi-requests decided from the fixture.

Only what the Altinn source asks is modelled: may this person perform this action on this
resource for this organisation? The answer comes from the same grants as the
authorized-parties answer (`mock_access`): the resource policy's roles and packages and
direct delegations, on the party itself, inherited from its main unit, or via a key role.
"""

from __future__ import annotations

from authz_sources.altinn.mock_access import PersonAccess
from authz_sources.altinn.mock_world import World
from authz_sources.altinn.wire import (
    ACTION_ATTRIBUTE,
    CATEGORY_ACTION,
    CATEGORY_RESOURCE,
    ORGNO_ATTRIBUTE,
    PERSON_IDENTIFIER,
    RESOURCE_ATTRIBUTE,
    XacmlCategory,
    XacmlReference,
    XacmlRequest,
    XacmlResponse,
    XacmlResult,
)

MAX_DECISIONS = 10_000


def _value(category: XacmlCategory, attribute_id: str) -> str | None:
    """The value of one attribute of a category, if present."""
    return next((a.value for a in category.attribute if a.attribute_id == attribute_id), None)


def _pick(ids: list[str], categories: dict[str, XacmlCategory], kind: str) -> XacmlCategory:
    """The single category of one kind a request reference names."""
    found = [categories[i] for i in ids if i in categories]
    if len(found) != 1:
        raise ValueError(f"each request reference must name exactly one {kind} category")
    return found[0]


def _echo(category_id: str, category: XacmlCategory) -> XacmlCategory | None:
    """The attributes marked IncludeInResult, returned with the decision."""
    included = [a for a in category.attribute if a.include_in_result]
    return XacmlCategory(attribute=included, category_id=category_id) if included else None


def _references(request: XacmlRequest) -> list[XacmlReference]:
    """The decisions asked for; a request without MultiRequests asks exactly one."""
    if request.multi_requests is not None:
        return request.multi_requests.request_reference
    lists = (request.access_subject, request.action, request.resource)
    if any(len(categories) != 1 for categories in lists):
        raise ValueError("without MultiRequests, send exactly one category of each kind")
    return [XacmlReference(["s", "a", "r"])]


def _by_id(categories: list[XacmlCategory], single_id: str) -> dict[str, XacmlCategory]:
    """Categories by id; a lone category without an id gets `single_id`."""
    if len(categories) == 1 and categories[0].id is None:
        return {single_id: categories[0]}
    return {c.id: c for c in categories if c.id is not None}


def decide(world: World, request: XacmlRequest) -> XacmlResponse:
    """One result per request reference, in order; ValueError for a malformed request."""
    references = _references(request)
    if len(references) > MAX_DECISIONS:
        raise ValueError(f"at most {MAX_DECISIONS} decisions per request")
    subjects = _by_id(request.access_subject, "s")
    actions = _by_id(request.action, "a")
    resources = _by_id(request.resource, "r")
    results: list[XacmlResult] = []
    access: dict[str, PersonAccess] = {}
    for reference in references:
        subject = _pick(reference.reference_id, subjects, "access subject")
        action = _pick(reference.reference_id, actions, "action")
        resource = _pick(reference.reference_id, resources, "resource")
        pid = _value(subject, PERSON_IDENTIFIER)
        action_id = _value(action, ACTION_ATTRIBUTE)
        resource_id = _value(resource, RESOURCE_ATTRIBUTE)
        orgno = _value(resource, ORGNO_ATTRIBUTE)
        if pid is None or action_id is None or resource_id is None or orgno is None:
            raise ValueError(
                "a decision needs the person's identifier-no, an action-id, "
                "urn:altinn:resource and urn:altinn:organization:identifier-no"
            )
        if pid not in access:
            access[pid] = PersonAccess(world, pid)
        allowed = action_id in access[pid].permitted(orgno, resource_id)
        echoed = [_echo(CATEGORY_ACTION, action), _echo(CATEGORY_RESOURCE, resource)]
        results.append(
            XacmlResult(
                decision="Permit" if allowed else "NotApplicable",
                category=[c for c in echoed if c is not None],
            )
        )
    return XacmlResponse(response=results)
