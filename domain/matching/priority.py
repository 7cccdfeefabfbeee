"""A need's place in the queue: urgency and the household's circle, waiting time breaking ties."""

from __future__ import annotations

from datetime import datetime

from domain.matching.facts import NeedFacts
from domain.matching.policy import Policy
from domain.matching.verdicts import FULL, weighted

_URGENCY = {"critical": 1000, "high": 700, "normal": 400, "low": 100}
_CIRCLE = {1: 1000, 2: 600, 3: 300}


def priority_parts(need: NeedFacts, at: datetime) -> dict[str, int]:
    """Urgency, waiting time (as of `at`) and the household's difficulty circle."""
    days = max((at - need.raised_at).total_seconds(), 0.0) / 86400
    return {
        "urgency": _URGENCY[need.urgency],
        "waiting": min(int(days * FULL / 30), FULL),
        "circle": _CIRCLE.get(need.circle or 0, 500),
    }


def priority(need: NeedFacts, policy: Policy) -> int:
    """The stored part of a need's priority: urgency and circle; waiting orders equals."""
    parts = priority_parts(need, need.raised_at)
    return weighted({k: v for k, v in parts.items() if k != "waiting"}, policy)
