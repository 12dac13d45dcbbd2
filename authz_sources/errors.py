"""The three ways a source can say no.

They are plain exceptions so a plugin needs nothing but this package to raise them; the
provider maps them to OAuth errors (`invalid_authorization_details`, `access_denied`,
`temporarily_unavailable`).
"""


class InvalidDetail(ValueError):
    """A requested `authorization_details` object is malformed.

    The message is shown to the client developer in `error_description`, so it must say
    precisely which field is wrong and why, without echoing large input back. `index`
    names the object at fault, for a rule across several (`check_together`).
    """

    def __init__(self, message: str, *, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


class SourceUnavailable(Exception):
    """The register could not give a trustworthy answer: down, slow, or malformed reply.

    The provider fails the login closed when this is raised; it never guesses rights.
    """


class NotEligible(Exception):
    """The person may not have what was asked: a chosen party they cannot act for, or a
    required approval they do not hold. The message is safe to show to the person."""


class MissingIdentifier(NotEligible):
    """The person has none of the identifiers the register knows people by (a person
    without a Norwegian number, asked about at a register that knows only numbers). The
    provider does not ask a source about such a person (`identifiers`); a source asked
    anyway raises this."""
