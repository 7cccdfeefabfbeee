"""What a household file says about who lives there, in the words rules and earmarks use."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DISABILITY = "disability"


def household_labels(members: Iterable[dict[str, Any]], group: str | None) -> tuple[str, ...]:
    """The groups a rule or earmark may name: members' circumstances and the assessed group."""
    labels = {str(c) for m in members for c in m.get("circumstances") or ()}
    if group:
        labels.add(group)
    return tuple(sorted(labels))


def birth_years(members: Iterable[dict[str, Any]]) -> tuple[int, ...]:
    """Members' birth years, where known."""
    return tuple(sorted(int(m["birth_year"]) for m in members if m.get("birth_year")))


def has_disability(labels: Iterable[str]) -> bool:
    """Whether a member has a disability, by the household's labels."""
    return DISABILITY in set(labels)
