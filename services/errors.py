"""One mapping from failures to HTTP status codes and problem details, used by every edge."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import psycopg
from eventsourcing.persistence import (
    DataError,
    IntegrityError,
    OperationalError,
    PersistenceError,
)
from kafka.errors import KafkaError
from psycopg_pool import PoolTimeout

from domain.shared.errors import (
    ConcurrentUpdate,
    DomainError,
    EventIdReused,
    InvalidValue,
    NotFound,
    NotPermitted,
    RuleViolation,
    VersionMismatch,
)

RETRY_AFTER_SECONDS = 5
log = logging.getLogger(__name__)

# Failures of the parts around the service: PostgreSQL, its pool, the broker, the event store.
PART_FAILURES: tuple[type[BaseException], ...] = (
    OperationalError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    PoolTimeout,
    KafkaError,
    ConnectionError,
    TimeoutError,
)
# What a value the edge let through may still raise inside a command: the event's fault.
INPUT_FAILURES = (
    ValueError,
    TypeError,
    OverflowError,
    KeyError,
    RecursionError,
    UnicodeError,
    psycopg.DataError,  # a value PostgreSQL cannot hold (out of range, a NUL in text)
)


class PartUnavailable(OperationalError):
    """A part (PostgreSQL, the pool, the broker) failed: outcome unknown, retry the same event."""


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
    (NotPermitted, 403, "Forbidden"),
    (NotFound, 404, "Not found"),
    (VersionMismatch, 412, "Version precondition failed"),
    (ConcurrentUpdate, 409, "Concurrent update"),
    (EventIdReused, 409, "Event id reused"),
    (RuleViolation, 409, "Rule violation"),
]


def unavailable(error: BaseException) -> Problem:
    """503: a part failed; the client retries with the same CloudEvent id."""
    return Problem(
        503,
        "Store unavailable",
        f"a part of the service failed ({type(error).__name__}: {error}); the outcome is not"
        " known: retry later with the same CloudEvent id",
    )


def is_part_failure(error: BaseException) -> bool:
    """Whether an error is a part failing (503) rather than the request or a rule."""
    if isinstance(error, psycopg.Error) and not isinstance(error, psycopg.DataError):
        return True  # every other PostgreSQL failure: the server, the pool, the connection
    return isinstance(error, PART_FAILURES) or (
        isinstance(error, PersistenceError) and not isinstance(error, DataError | IntegrityError)
    )


def problem_for(error: BaseException) -> Problem:
    """The problem an error maps to: a failed part is 503, a refused value 4xx; only bugs 500."""
    if isinstance(error, Problem):
        return error
    if is_part_failure(error):
        return unavailable(error)
    if isinstance(error, DataError):
        return Problem(413, "Too large for the store", f"the event store refused it: {error}")
    if isinstance(error, IntegrityError):
        return Problem(409, "Concurrent update", "another writer changed the record first")
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
    if isinstance(error, INPUT_FAILURES):
        # The edge let a value through that a command could not take: refused as the event's
        # fault, but logged with its traceback, since an edge gap or a bug may hide behind it.
        log.error("a request failed inside a command on its input: %r", error, exc_info=error)
        reason = f"cannot be processed: {type(error).__name__}: {str(error)[:200]}"
        return Problem(
            422, "Invalid value", f"request: {reason}", [{"field": "request", "reason": reason}]
        )
    # A bug, not a part failing nor a refusal: logged with its traceback.
    log.error("unexpected failure", exc_info=error)
    return Problem(500, "Internal error", f"unexpected {type(error).__name__}; it was logged")


def store_halt(app: Any) -> str | None:
    """Why the event store refuses writes (the log went backwards), or None."""
    guard = getattr(getattr(getattr(app, "recorder", None), "store", None), "lineage", None)
    reason = guard.halt_reason() if guard is not None else None
    return str(reason) if reason else None
