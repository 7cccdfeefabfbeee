"""Domain errors: each says what was refused and why; the edge maps them to status codes."""

from __future__ import annotations

from uuid import UUID


class DomainError(Exception):
    """Base of every refusal the domain makes."""


class InvalidValue(DomainError):
    """A value does not satisfy a domain rule (maps to 422)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class NotFound(DomainError):
    """The named record does not exist (maps to 404)."""

    def __init__(self, kind: str, ident: UUID | str) -> None:
        super().__init__(f"{kind} {ident} not found")
        self.kind = kind
        self.ident = str(ident)


class RuleViolation(DomainError):
    """The command is not allowed in the record's current state (maps to 409)."""


class NotPermitted(DomainError):
    """The actor may not take this step on this record, whatever its state (maps to 403)."""


class NoConsent(RuleViolation):
    """Sharing a household's file needs a recorded consent or legal basis (maps to 409)."""

    def __init__(self, recipient: str, household: UUID | str) -> None:
        super().__init__(
            f"no recorded consent or legal basis for sharing with {recipient!r}: household"
            f" {household} has given no consent to it (or it was withdrawn or has expired) and"
            " no legal basis is recorded; record one (household.consent.given or"
            " household.legal_basis.recorded) first"
        )
        self.recipient = recipient


class VersionMismatch(DomainError):
    """The caller's expected version is not the record's version (maps to 412)."""

    def __init__(self, kind: str, ident: UUID, expected: int, actual: int) -> None:
        super().__init__(
            f"{kind} {ident} is at version {actual}, not the expected version {expected}"
        )
        self.expected = expected
        self.actual = actual


class ConcurrentUpdate(DomainError):
    """Another writer changed the record first; reload and retry (maps to 409)."""


class EventIdReused(DomainError):
    """An event id was sent again with different content (maps to 409)."""
