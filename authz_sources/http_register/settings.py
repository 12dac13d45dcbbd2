"""Settings for one agency register reached over HTTP (`kind = "http_register"`).

```toml
[sources.my_agency]
kind = "http_register"
types = ["myagency:role"]
base_url = "https://register.example"
token = "..."
timeout_ms = 800
fields = { role = "string" }          # the agency's own request fields and their JSON kinds
required_fields = ["role"]
```

Several blocks of this kind may be enabled at once, each with its own name and types.
"""

from __future__ import annotations

import re
from typing import Final, Literal

import msgspec

from authz_sources.register_http import check_register_settings
from authz_sources.types import IDENTIFIERS

_TYPE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._/-]{0,99}")
_FIELD: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}")
_NOT_DECLARABLE: Final = frozenset(
    {
        "type",
        "organizationform",
        "allow_multiple_organizations",
        "allow_deleted_organizations",
        "representation_is_required",
        "authorized_parties",
    }
)

FieldKind = Literal["string", "number", "integer", "boolean", "array", "object", "any"]


class HttpRegisterSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How to reach one register that speaks the HTTP register contract, version 1.1."""

    types: tuple[str, ...]
    """The RAR types this register answers, e.g. `["myagency:role"]`; no other enabled
    source may own them."""

    base_url: str
    """Root of the register; the source calls `POST {base_url}/parties` and
    `GET {base_url}/health`."""

    token: str | None = None
    """Sent as `Authorization: Bearer <token>` on every call; keep it in the environment,
    not in a committed file."""

    timeout_ms: int = 800
    """Deadline for one whole call (connect, send, read), in milliseconds; the
    provider's deadline for this source is the same."""

    fields: dict[str, FieldKind] = {}
    """The agency's own request fields, by name, with the JSON kind each must have
    (`string`, `number`, `integer`, `boolean`, `array`, `object` or `any`). They are
    sent to the register and echoed into the token as the client sent them; a field not
    declared here is refused. The shared fields (`organizationform` and the three flags)
    are always understood and must not be declared."""

    required_fields: tuple[str, ...] = ()
    """Declared fields every request must carry."""

    identifiers: tuple[str, ...] = ("pid",)
    """What the register knows people by (contract 1.1): any of `pid`,
    `eidas_person_identifier`, `email`, `entra_oid` (tenant and object id together) and
    `groups`. Only these are sent, and only people who have one of them are asked about;
    the default suits a version 1 register, which knows only national identity numbers."""

    max_parties: int = 1000
    """Most parties accepted in one answer; more is treated as a malformed answer."""

    max_bytes: int = 1_048_576
    """Largest answer read, in bytes (1 MiB); a longer one is a malformed answer."""

    max_detail_bytes: int = 4096
    """Largest requested object (as JSON) a client may send for these types."""

    max_connections: int = 20
    """Size of the pooled connection set shared by all calls of this source."""

    ca_file: str | None = None
    """A PEM file of CA certificates to trust for this register instead of certifi's
    roots (a register behind a private CA); read at start-up."""

    def __post_init__(self) -> None:
        if not self.types:
            raise ValueError("types must name at least one RAR type")
        if len(set(self.types)) != len(self.types):
            raise ValueError("types must not repeat a type")
        for rar_type in self.types:
            if not _TYPE.fullmatch(rar_type):
                raise ValueError(f"{rar_type[:40]!r} is not a usable RAR type name")
        for field_name in self.fields:
            if not _FIELD.fullmatch(field_name) or field_name in _NOT_DECLARABLE:
                raise ValueError(f"fields: {field_name[:40]!r} cannot be declared")
        for field_name in self.required_fields:
            if field_name not in self.fields:
                raise ValueError(f"required_fields: {field_name[:40]!r} is not in fields")
        check_register_settings(self)
        if not 0 < self.max_parties <= 100_000:
            raise ValueError("max_parties must be between 1 and 100000")
        if not 64 <= self.max_detail_bytes <= 65_536:
            raise ValueError("max_detail_bytes must be between 64 and 65536")
        if not self.identifiers or not set(self.identifiers) <= set(IDENTIFIERS):
            raise ValueError(f"identifiers must be among {', '.join(IDENTIFIERS)}")
