"""Deadlines of the referral loop, judged on the time the service recorded each step.

A department's claimed time (`accepted_at`, `given_at` …) stays visible, but whether a step was
on time is decided by when zhulian recorded it: a backdated answer that arrived late is late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from domain.shared.errors import InvalidValue
from domain.shared.regions import Level, check_region, level_of

DEFAULT_HOURS = 24  # the reports' answer-within-24-hours promise
MAX_HOURS = 24 * 90
_LEVEL_DIGITS = {Level.VILLAGE: 12, Level.TOWN: 9, Level.COUNTY: 6}


class Step(StrEnum):
    """A step of the loop that owes an answer within a deadline."""

    ACCEPTANCE = "acceptance"  # request (or reassignment) → accepted (受理)
    FEEDBACK = "feedback"  # accepted → first feedback (反馈)
    APPLICATION = "application"  # a resident's self-application → the first answer


@dataclass(frozen=True)
class DeadlinePolicy:
    """Hours per step and the escalation ladder; version 0 is the built-in default."""

    version: int = 0
    acceptance_hours: int = DEFAULT_HOURS
    feedback_hours: int = DEFAULT_HOURS
    application_hours: int = DEFAULT_HOURS
    ladder: tuple[str, ...] = (Level.TOWN.value, Level.COUNTY.value)

    @classmethod
    def parse(cls, raw: dict[str, Any], version: int = 0) -> DeadlinePolicy:
        """Check a policy as published; missing hours keep the default."""
        hours = {}
        for step in Step:
            value = raw.get(f"{step.value}_hours", DEFAULT_HOURS)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_HOURS:
                raise InvalidValue(f"{step.value}_hours", f"must be whole hours, 1 to {MAX_HOURS}")
            hours[f"{step.value}_hours"] = value
        ladder = tuple(raw.get("ladder", cls.ladder))
        allowed = [Level.TOWN.value, Level.COUNTY.value]
        if list(ladder) != allowed[len(allowed) - len(ladder) :]:
            raise InvalidValue("ladder", "escalate upwards: ['town', 'county'], ['county'] or []")
        return cls(version=version, ladder=ladder, **hours)

    def hours(self, step: Step) -> int:
        """The hours a step may take."""
        return {
            Step.ACCEPTANCE: self.acceptance_hours,
            Step.FEEDBACK: self.feedback_hours,
            Step.APPLICATION: self.application_hours,
        }[step]

    def due(self, step: Step, recorded_at: datetime) -> datetime:
        """When an answer to a step recorded at `recorded_at` is due."""
        return recorded_at + timedelta(hours=self.hours(step))

    def as_record(self) -> dict[str, Any]:
        """The policy as stored in an event."""
        return {
            "acceptance_hours": self.acceptance_hours,
            "feedback_hours": self.feedback_hours,
            "application_hours": self.application_hours,
            "ladder": list(self.ladder),
        }


def next_level(region_code: str, ladder: tuple[str, ...]) -> str | None:
    """The region one level up the ladder from `region_code`, or None at its top."""
    current = level_of(check_region(region_code))
    for level in ladder:
        digits = _LEVEL_DIGITS[Level(level)]
        if digits < _LEVEL_DIGITS[current]:
            return region_code[:digits]
    return None


def is_late(recorded_at: datetime, due_at: datetime | None) -> bool:
    """An answer recorded after its deadline (none: never late)."""
    return due_at is not None and recorded_at > due_at
