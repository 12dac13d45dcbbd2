"""The three kinds of identifier a rule names, validated and put in one canonical form.

A rule and a person are compared in that form only, so `Kari@Firma.NO`, `kari@firma.no`
and `kari@firma.no.` are one address, and an internationalised domain written in Unicode
(`bølgen.no`) or as its ASCII form (`xn--blgen-zua.no`) is one domain:

- `email`: one address, `local@domain`; the local part is lowercased as well (Entra ID
  treats addresses case-insensitively), the domain as below.
- `domain`: an e-mail domain; it matches addresses in exactly that domain, not its
  sub-domains (a rule for `firma.no` does not cover `x@avd.firma.no`: an employer names
  each domain it vouches for).
- `group`: an Entra ID group's object id, a GUID, lowercased.

Validation errors carry a short code (`email_invalid`, ...); the pages translate it.
"""

from __future__ import annotations

import re
from typing import Final, Literal, get_args

IdentifierKind = Literal["email", "domain", "group"]
KINDS: Final[tuple[IdentifierKind, ...]] = get_args(IdentifierKind)

MAX_EMAIL_LENGTH: Final = 254
MAX_DOMAIN_LENGTH: Final = 253
_LABEL: Final = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_TOP_LABEL: Final = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")
_LOCAL_PART: Final = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_GUID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class IdentifierError(ValueError):
    """The text is not an identifier of the kind; `code` names the reason."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def canonical_domain(text: str) -> str:
    """An e-mail domain in lowercase ASCII (IDNA), without a trailing dot."""
    value = text.strip().rstrip(".").lower()
    if not value:
        raise IdentifierError("domain_invalid")
    try:
        ascii_form = value.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise IdentifierError("domain_invalid") from exc
    labels = ascii_form.split(".")
    if (
        len(ascii_form) > MAX_DOMAIN_LENGTH
        or len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or not _TOP_LABEL.fullmatch(labels[-1])
    ):
        raise IdentifierError("domain_invalid")
    return ascii_form


def canonical_email(text: str) -> str:
    """One e-mail address, `local@domain`, lowercased, domain in ASCII form."""
    value = text.strip()
    local, at, domain = value.rpartition("@")
    if not at or not local or len(value) > MAX_EMAIL_LENGTH:
        raise IdentifierError("email_invalid")
    local = local.lower()
    if len(local) > 64 or not _LOCAL_PART.fullmatch(local):
        raise IdentifierError("email_invalid")
    try:
        return f"{local}@{canonical_domain(domain)}"
    except IdentifierError as exc:
        raise IdentifierError("email_invalid") from exc


def canonical_group(text: str) -> str:
    """An Entra ID group object id: a GUID (`8-4-4-4-12` hexadecimal digits)."""
    value = text.strip().lower()
    if not _GUID.fullmatch(value):
        raise IdentifierError("group_invalid")
    return value


def canonical(kind: IdentifierKind, text: str) -> str:
    """The canonical form of `text` read as an identifier of `kind`."""
    if kind == "email":
        return canonical_email(text)
    if kind == "domain":
        return canonical_domain(text.removeprefix("@"))
    return canonical_group(text)


def domain_of(email: str) -> str:
    """The domain part of a canonical e-mail address."""
    return email.rpartition("@")[2]
