"""When an event happened, as its facts say (not when it was recorded)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

# Each event type names its moment with one of these fields; the first present wins.
OCCURRED_FIELDS = (
    "discovered_at",
    "reported_at",
    "granted_at",
    "ended_at",
    "assessed_at",
    "raised_at",
    "referred_at",
    "reopened_at",
    "met_at",
    "closed_at",
    "requested_at",
    "accepted_at",
    "routed_at",
    "given_at",
    "completed_at",
    "followed_up_at",
    "refused_at",
    "reassigned_at",
)


_FIELD_BY_CLASS: dict[type, str | None] = {}


def _field_of(event: Any) -> str | None:
    for name in OCCURRED_FIELDS:
        if isinstance(getattr(event, name, None), datetime):
            return name
    for field, value in vars(event).items():
        if field.endswith("_at") and isinstance(value, datetime):
            return str(field)
    return None


def occurred_at(event: Any) -> datetime:
    """The event's own time field, or its recording time when it has none."""
    kind = type(event)
    if kind not in _FIELD_BY_CLASS:  # one lookup per event class: replays call this a lot
        _FIELD_BY_CLASS[kind] = _field_of(event)
    name = _FIELD_BY_CLASS[kind]
    value: datetime = getattr(event, name) if name else event.timestamp
    return value
