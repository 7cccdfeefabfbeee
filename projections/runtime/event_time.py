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


def occurred_at(event: Any) -> datetime:
    """The event's own time field, or its recording time when it has none."""
    for name in OCCURRED_FIELDS:
        value = getattr(event, name, None)
        if isinstance(value, datetime):
            return value
    for name, value in vars(event).items():
        if name.endswith("_at") and isinstance(value, datetime):
            return value
    recorded: datetime = event.timestamp
    return recorded
