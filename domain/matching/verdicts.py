"""What a rule says about a candidate (a check) and what all rules say together (a decision)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.matching.policy import Policy

# Scores are whole points: each part is 0..1000, multiplied by its integer weight.
FULL = 1000


@dataclass(frozen=True)
class Check:
    """One rule's verdict on one candidate, with the reason a person can read."""

    rule: str
    passed: bool
    reason: str

    def as_record(self) -> dict[str, Any]:
        """The check as kept in a view row."""
        return {"rule": self.rule, "passed": self.passed, "reason": self.reason}


@dataclass(frozen=True)
class Decision:
    """Whether a candidate may take a need, why, and how well it fits."""

    candidate_id: str
    kind: str  # "offering" or "fund"
    name: str
    checks: tuple[Check, ...]
    parts: dict[str, int]
    score: int
    level: str | None  # where the candidate covers the household: village, town or county

    @property
    def eligible(self) -> bool:
        """Every rule passed."""
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> tuple[str, ...]:
        """The names of the rules that failed."""
        return tuple(c.rule for c in self.checks if not c.passed)


def weighted(parts: dict[str, int], policy: Policy) -> int:
    """The weighted mean of the parts: 0 to 1000 points."""
    total = sum(policy.weights.get(name, 0) for name in parts)
    if total == 0:
        return 0
    return sum(policy.weights.get(name, 0) * value for name, value in parts.items()) // total
