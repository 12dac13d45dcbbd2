"""The `ansattporten:hpr` RAR type: what a client may ask, and what the token carries.

Request:
    {"type": "ansattporten:hpr", "professions": ["LE", "SP"], "approval_is_required": true}

Both extra fields are optional. The granted object mirrors HelseID's `hpr_details`
(spec 9.2), with the HPR number as a string (as HelseID's `hpr_number` claim has it) and
each approval's validity period added, so a service can see when it lapses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from authz_sources.errors import InvalidDetail
from authz_sources.hpr.approvals import valid_rights
from authz_sources.hpr.codes import PROFESSIONS
from authz_sources.hpr.wire import Godkjenning, HprRecord, Kode
from authz_sources.shared import parse_flag
from authz_sources.types import RequestedDetail

RAR_TYPE: Final = "ansattporten:hpr"
_FIELDS: Final = frozenset({"type", "professions", "approval_is_required"})


class HprDetail(RequestedDetail, frozen=True, kw_only=True):
    """A parsed `ansattporten:hpr` request."""

    professions: tuple[str, ...] = ()
    """Codes from list 9060; empty means any profession."""

    approval_is_required: bool = False
    """When true, a person without a matching valid approval cannot log in."""


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _professions(raw: Mapping[str, Any]) -> tuple[str, ...]:
    if "professions" not in raw:
        return ()
    value = raw["professions"]
    if not isinstance(value, list) or not value:
        raise InvalidDetail("professions must be a non-empty array of codes from list 9060")
    if len(value) > len(PROFESSIONS):
        raise InvalidDetail(f"professions may hold at most {len(PROFESSIONS)} codes")
    codes: list[str] = []
    for code in value:
        if not isinstance(code, str) or code not in PROFESSIONS:
            raise InvalidDetail(
                f"professions holds {_short(code)}, which is not a code from list 9060 "
                '(e.g. "LE" for Lege, "SP" for Sykepleier)'
            )
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def parse_hpr_detail(raw: Mapping[str, Any]) -> HprDetail:
    """Validate one requested object; raises `InvalidDetail` naming the bad field."""
    if raw.get("type") != RAR_TYPE:
        raise InvalidDetail(f'type must be "{RAR_TYPE}"')
    unknown = sorted(str(key) for key in raw if key not in _FIELDS)
    if unknown:
        raise InvalidDetail(
            f"unknown field {_short(unknown[0])} for {RAR_TYPE}; "
            "allowed: type, professions, approval_is_required"
        )
    return HprDetail(
        type=RAR_TYPE,
        professions=_professions(raw),
        approval_is_required=parse_flag(raw, "approval_is_required"),
        raw=dict(raw),
    )


def _code(kode: Kode) -> dict[str, str]:
    return {"value": kode.verdi, "description": kode.navn}


def _approval(approval: Godkjenning, day: dt.date) -> dict[str, Any]:
    start, end = approval.periode.start, approval.periode.end
    return {
        "profession": approval.helsepersonellkategori.verdi,
        "authorization": _code(approval.autorisasjon),
        "valid_from": start.isoformat() if start else None,
        "valid_to": end.isoformat() if end else None,
        "requisition_rights": [
            _code(right.type) for right in valid_rights(approval.rekvisisjonsretter, day)
        ],
        "specialities": [
            _code(right.type) for right in valid_rights(approval.spesialistgodkjenninger, day)
        ],
    }


def granted_object(record: HprRecord, approvals: list[Godkjenning], day: dt.date) -> dict[str, Any]:
    """The `authorization_details` entry for a person with at least one valid approval;
    rights under each approval are filtered by the same validity rule."""
    return {
        "type": RAR_TYPE,
        "hpr_number": str(record.hpr_nummer),
        "approvals": [_approval(approval, day) for approval in approvals],
    }
