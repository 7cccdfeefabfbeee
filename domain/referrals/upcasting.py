"""Upcasters of referral events: older stored shapes read as the current ones."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

FEEDBACK_WINDOW = timedelta(hours=24)


def actor_was_by(state: dict[str, Any]) -> None:
    """Upcast a v1 step event: the acting department was stored as `by`, now `actor`."""
    state["actor"] = state.pop("by")


def recorded_when_claimed(claimed: str, due: str | None = None) -> Any:
    """Upcast an event from before recorded times: the claimed time stands in for it.

    Such an answer was never judged late; a request of then owes acceptance within the
    default 24 hours of it.
    """

    def upcast(state: dict[str, Any]) -> None:
        state["recorded_at"] = state[claimed]
        if due is not None:
            state[due] = state[claimed] + FEEDBACK_WINDOW
        else:
            state["late"] = False

    return staticmethod(upcast)
