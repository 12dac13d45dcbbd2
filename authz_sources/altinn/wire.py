"""Altinn's wire formats, as msgspec Structs shared by the client and the mock.

Decoding is strict about types (a string where a boolean belongs fails the whole answer)
but tolerant of fields we do not read, because Altinn adds fields to these contracts
over time and a new field must not take the login down. The mock validates its fixture
with stricter subclasses (see `mock_fixture`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

import msgspec

OrgNo = Annotated[str, msgspec.Meta(pattern=r"^\d{9}$")]
"""A Norwegian organisation number: exactly nine digits."""

PERSON_IDENTIFIER = "urn:altinn:person:identifier-no"
ISO6523_AUTHORITY = "iso6523-actorid-upis"
ACTION_ATTRIBUTE = "urn:oasis:names:tc:xacml:1.0:action:action-id"
RESOURCE_ATTRIBUTE = "urn:altinn:resource"
ORGNO_ATTRIBUTE = "urn:altinn:organization:identifier-no"
CATEGORY_SUBJECT = "urn:oasis:names:tc:xacml:1.0:subject-category:access-subject"
CATEGORY_ACTION = "urn:oasis:names:tc:xacml:3.0:attribute-category:action"
CATEGORY_RESOURCE = "urn:oasis:names:tc:xacml:3.0:attribute-category:resource"


class AuthorizedInstance(msgspec.Struct, rename="camel", kw_only=True):
    """An instance-level delegation (`authorizedInstances`)."""

    resource_id: str
    instance_id: str
    instance_ref: str | None = None


class AuthorizedParty(msgspec.Struct, rename="camel", kw_only=True):
    """One item of the resource-owner authorized-parties answer (sub-units nested).

    Fields are in the order of Altinn's `AuthorizedPartyDto`, so the mock's answers read
    like Altinn's. The four `authorized*` lists are filled only as the request's
    `include*` flags ask; with `anyOfResourceIds` they are trimmed to what reaches the
    asked resources (Altinn's `AuthorizedPartiesService`)."""

    party_uuid: str
    name: str
    organization_number: OrgNo | None = None
    parent_id: str | None = None
    person_id: str | None = None
    date_of_birth: str | None = None
    party_id: int
    email_id: str | None = None
    type: str
    unit_type: str | None = None
    is_deleted: bool = False
    only_hierarchy_element_with_no_access: bool = False
    authorized_access_packages: list[str] = msgspec.field(default_factory=list)
    authorized_resources: list[str] = msgspec.field(default_factory=list)
    authorized_roles: list[str] = msgspec.field(default_factory=list)
    authorized_instances: list[AuthorizedInstance] = msgspec.field(default_factory=list)
    subunits: Sequence[AuthorizedParty] = msgspec.field(default_factory=list)

    def has_resource_access(self) -> bool:
        """Access to a whole resource by some path (role, package or delegation), not
        just to single instances of it."""
        return bool(
            self.authorized_roles or self.authorized_access_packages or self.authorized_resources
        )


class PartyAttribute(msgspec.Struct, forbid_unknown_fields=True):
    """One entry of the body's `partyFilter`."""

    type: str
    value: str


class SubjectAttribute(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """The request body naming whose parties to list, optionally limited to some parties."""

    type: str
    value: str
    party_filter: list[PartyAttribute] | None = msgspec.field(default=None, name="partyFilter")


class LocalizedText(msgspec.Struct, kw_only=True):
    """Altinn's multilingual text (`{"nb", "nn", "en"}`); a language may be missing."""

    nb: str | None = None
    nn: str | None = None
    en: str | None = None

    def pick(self, locale: str) -> str | None:
        """The text in `locale`, else bokmål, else any language present."""
        wanted = getattr(self, locale, None) if locale in ("nb", "nn", "en") else None
        return wanted or self.nb or self.nn or self.en


class ServiceResource(msgspec.Struct, kw_only=True):
    """The part of a resource-registry entry the source reads."""

    identifier: str
    title: LocalizedText


class Reportee(msgspec.Struct, rename="pascal", kw_only=True):
    """One Altinn 2 reportee (PascalCase on the wire)."""

    name: str
    type: str
    organization_number: OrgNo | None = None
    parent_organization_number: OrgNo | None = None
    organization_form: str | None = None
    status: str | None = None
    social_security_number: str | None = None


class ReporteeList(msgspec.Struct):
    """`_embedded.reportees` of the HAL answer."""

    reportees: list[Reportee] = msgspec.field(default_factory=list)


class ReporteesPage(msgspec.Struct):
    """The HAL document returned by `/api/serviceowner/reportees`.

    `_links` is required (every HAL document links itself), so an answer that is not a
    reportees document fails; `_embedded` may be left out when there is nobody."""

    links: dict[str, Any] = msgspec.field(name="_links")
    embedded: ReporteeList = msgspec.field(name="_embedded", default_factory=ReporteeList)


class Altinn2Right(msgspec.Struct, rename="pascal", kw_only=True):
    """One right on a link service (`Read`, `Write`, `ArchiveRead`, ...)."""

    action: str
    service_code: str
    service_edition_code: int
    right_type: str = "Service"


class Altinn2Rights(msgspec.Struct, rename="pascal", kw_only=True):
    """Answer of the rights endpoint for one subject and reportee."""

    rights: list[Altinn2Right] = msgspec.field(default_factory=list)


class XacmlAttribute(msgspec.Struct, rename="pascal", kw_only=True, omit_defaults=True):
    """A XACML JSON attribute."""

    attribute_id: str
    value: str
    include_in_result: bool = False


class XacmlCategory(msgspec.Struct, rename="pascal", kw_only=True, omit_defaults=True):
    """A XACML JSON category (subject, action or resource) in a multi-request."""

    attribute: list[XacmlAttribute]
    id: str | None = None
    category_id: str | None = None


class XacmlReference(msgspec.Struct, rename="pascal"):
    """One decision request: the ids of one subject, action and resource category."""

    reference_id: list[str]


class XacmlMultiRequests(msgspec.Struct, rename="pascal"):
    """The list of decisions asked for."""

    request_reference: list[XacmlReference]


class XacmlRequest(msgspec.Struct, rename="pascal", kw_only=True):
    """A multi-decision request (XACML 3.0 JSON profile)."""

    access_subject: list[XacmlCategory]
    action: list[XacmlCategory]
    resource: list[XacmlCategory]
    multi_requests: XacmlMultiRequests | None = None
    return_policy_id_list: bool = False


class XacmlRequestRoot(msgspec.Struct):
    """The body of `POST /authorization/api/v1/authorize`."""

    request: XacmlRequest = msgspec.field(name="Request")


Decision = Literal["Permit", "Deny", "NotApplicable", "Indeterminate"]


class XacmlResult(msgspec.Struct, rename="pascal", kw_only=True):
    """One decision, echoing the attributes the request marked `IncludeInResult`."""

    decision: Decision
    category: list[XacmlCategory] = msgspec.field(default_factory=list)


class XacmlResponse(msgspec.Struct):
    """The PDP's answer."""

    response: list[XacmlResult] = msgspec.field(name="Response")
