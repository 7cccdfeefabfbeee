"""Stops: a view that cannot apply an event halts at it, visibly, until an operator resumes it.

Any failure while applying an event stops the view's stream there — a handler's exception, or
the database refusing the rows it produced (a NUL byte in PostgreSQL text, an integer beyond 64
bits, a timestamp out of range), or an event the log holds but cannot be decoded. Only failures
of the database itself (connection lost, lock timeout) are transient: the runner retries those.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

ERROR_LIMIT = 2000


@dataclass(frozen=True)
class Stopped:
    """A view stopped at a poison event, until an operator resumes it."""

    view: str
    stream: int
    position: int
    error: str
    event_type: str = ""
    event_id: str = ""  # the aggregate id and version of the event ("<uuid>@<version>")

    def as_json(self) -> dict[str, Any]:
        """The stop as health and the CLI report it."""
        return {
            "view": self.view,
            "stream": self.stream,
            "position": self.position,
            "event_type": self.event_type,
            "event_id": self.event_id,
            "error": self.error,
            "resume": f"zhulian resume --view {self.view}",
        }


class PoisonEvent(RuntimeError):
    """A view could not apply an event: it stops there rather than skip it."""

    def __init__(self, view: str, stream: int, position: int, error: str) -> None:
        super().__init__(
            f"view {view!r} stopped at log position {position} (stream {stream}): {error};"
            f" fix the cause, then `zhulian resume --view {view}`"
        )
        self.view = view
        self.stream = stream
        self.position = position


class Undecodable:
    """Stands in for a notification the mapper could not turn into an event."""

    def __init__(self, notification: Any, error: BaseException) -> None:
        self.notification = notification
        self.error = error
        self.originator_id = getattr(notification, "originator_id", None)
        self.originator_version = getattr(notification, "originator_version", None)
        self.topic = str(getattr(notification, "topic", ""))


class ApplyFailed(RuntimeError):
    """Applying one event failed for a reason that retrying will not change."""

    def __init__(self, position: int, event: Any, cause: BaseException) -> None:
        kind = describe_type(event)
        super().__init__(f"{kind} at position {position}: {type(cause).__name__}: {cause}")
        self.position = position
        self.event_type = kind
        self.event_id = describe_id(event)
        self.cause = cause


def describe_type(event: Any) -> str:
    """The event's type as the log names it."""
    if isinstance(event, Undecodable):
        return f"undecodable {event.topic or 'event'}"
    return type(event).__qualname__


def describe_id(event: Any) -> str:
    """The event's aggregate id and version, '<uuid>@<version>'."""
    return f"{getattr(event, 'originator_id', '?')}@{getattr(event, 'originator_version', '?')}"


def encode_event(failed: ApplyFailed) -> str:
    """What the positions table keeps about the stopped event."""
    return orjson.dumps({"type": failed.event_type, "id": failed.event_id}).decode()


def encode_stop(stop: Stopped) -> str:
    """The same record for a stop read back (a rebuild carries it over to the live view)."""
    return orjson.dumps({"type": stop.event_type, "id": stop.event_id}).decode()


def decode_event(text: str | None) -> tuple[str, str]:
    """The stopped event's type and id from the positions table ('' when unknown)."""
    if not text:
        return "", ""
    try:
        found = orjson.loads(text)
        return str(found.get("type", "")), str(found.get("id", ""))
    except (orjson.JSONDecodeError, AttributeError):
        return "", ""
