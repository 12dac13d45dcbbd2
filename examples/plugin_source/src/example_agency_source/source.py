"""The settings Struct, the source and its factory."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

import msgspec

from authz_sources import InvalidDetail, Party, RequestedDetail, Subject
from authz_sources.shared_fields import parse_flag
from example_agency_source.table import HOLDINGS, PERMITS

FLAGS = (
    "allow_multiple_organizations",
    "allow_deleted_organizations",
    "representation_is_required",
)
FIELDS = frozenset({"type", "permit", "organizationform", *FLAGS})


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What `[sources.<name>]` may set for this kind."""

    rar_type: str = "exampleagency:permit"
    """The RAR type this source answers."""

    timeout_ms: int = 500
    """The provider's deadline for each call, in milliseconds."""


class PermitDetail(RequestedDetail, frozen=True, kw_only=True):
    """A parsed request: which permit the service needs."""

    permit: str


class PermitSource:
    """Answers `exampleagency:permit`: organisations holding the requested permit."""

    name: str
    types: tuple[str, ...]
    answers_about: Literal["organisations", "person"]
    timeout_seconds: float

    def __init__(self, name: str, settings: Settings) -> None:
        self.name = name
        self.types = (settings.rar_type,)
        self.answers_about = "organisations"
        self.timeout_seconds = settings.timeout_ms / 1000

    def parse_detail(self, raw: Mapping[str, Any]) -> PermitDetail:
        if raw.get("type") not in self.types:
            raise InvalidDetail(f"`type` must be {self.types[0]!r}")
        unknown = sorted(str(key) for key in raw if key not in FIELDS)
        if unknown:
            raise InvalidDetail(f"unknown field `{unknown[0][:40]}`")
        permit = raw.get("permit")
        if not isinstance(permit, str) or permit not in PERMITS:
            raise InvalidDetail(f"`permit` is required and must be one of {', '.join(PERMITS)}")
        form = raw.get("organizationform")
        if form not in (None, "enterprise", "business"):
            raise InvalidDetail('`organizationform` must be "enterprise" or "business"')
        return PermitDetail(
            type=self.types[0],
            permit=permit,
            organizationform=form,
            raw=dict(raw),
            **{flag: parse_flag(raw, flag) for flag in FLAGS},
        )

    async def find_parties(self, subject: Subject, detail: RequestedDetail) -> list[Party]:
        permit = self.parse_detail(detail.raw).permit
        parties = [
            Party(orgno=h.orgno, name=h.name, unit_type=h.unit_type, rights=(permit,))
            for h in HOLDINGS.get(subject.pid, ())
            if permit in h.permits
        ]
        sub_unit = {"BEDR", "AAFY"}
        if detail.organizationform == "enterprise":
            parties = [p for p in parties if p.unit_type not in sub_unit]
        elif detail.organizationform == "business":
            parties = [p for p in parties if p.unit_type in sub_unit]
        return parties

    async def grant(
        self, subject: Subject, detail: RequestedDetail, chosen: Sequence[Party]
    ) -> dict[str, Any] | None:
        if not chosen:
            return {"type": detail.type}
        holding = {party.orgno: party for party in await self.find_parties(subject, detail)}
        confirmed = [holding[p.orgno] for p in chosen if p.orgno in holding]
        if not confirmed:
            return None
        return {
            "type": detail.type,
            "permit": detail.raw["permit"],
            "authorized_parties": [
                {
                    "orgno": {"authority": "iso6523-actorid-upis", "ID": f"0192:{p.orgno}"},
                    "name": p.name,
                    "unit_type": p.unit_type,
                    "rights": list(p.rights),
                }
                for p in confirmed
            ],
        }

    async def check_health(self) -> None:
        """Nothing to reach: the table is in memory."""

    async def aclose(self) -> None:
        """Nothing to release."""


class Factory:
    """The entry point: the provider reads `settings_type`, then calls `create`."""

    settings_type: ClassVar[type[msgspec.Struct]] = Settings

    @staticmethod
    def create(name: str, settings: msgspec.Struct) -> PermitSource:
        if not isinstance(settings, Settings):
            raise TypeError(f"expected Settings, got {type(settings).__name__}")
        return PermitSource(name, settings)
