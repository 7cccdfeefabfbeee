"""One mapping from failures to HTTP status codes and problem details, used by every edge."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import OperationalError

from domain.shared.errors import (
    ConcurrentUpdate,
    DomainError,
    EventIdReused,
    InvalidValue,
    NotFound,
    RuleViolation,
    VersionMismatch,
)

RETRY_AFTER_SECONDS = 5


@dataclass
class Problem(Exception):
    """An RFC 9457 problem: what went wrong, where, and the status code it maps to."""

    status: int
    title: str
    detail: str
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The problem as an application/problem+json body."""
        body: dict[str, Any] = {
            "type": f"https://zhulian.example/problems/{self.title.lower().replace(' ', '-')}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.errors:
            body["errors"] = self.errors
        return body


_BY_TYPE: list[tuple[type[Exception], int, str]] = [
    (InvalidValue, 422, "Invalid value"),
    (NotFound, 404, "Not found"),
    (VersionMismatch, 412, "Version precondition failed"),
    (ConcurrentUpdate, 409, "Concurrent update"),
    (EventIdReused, 409, "Event id reused"),
    (RuleViolation, 409, "Rule violation"),
]


def problem_for(error: Exception) -> Problem:
    """The problem a domain error or an unavailable store maps to."""
    if isinstance(error, Problem):
        return error
    if isinstance(error, OperationalError):
        return Problem(503, "Store unavailable", f"the event store cannot take writes now: {error}")
    for kind, status, title in _BY_TYPE:
        if isinstance(error, kind):
            errors = (
                [{"field": error.field, "reason": error.reason}]
                if isinstance(error, InvalidValue)
                else []
            )
            return Problem(status, title, str(error), errors)
    if isinstance(error, DomainError):
        return Problem(409, "Refused", str(error))
    raise error
