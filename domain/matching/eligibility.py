"""Who an offering admits: coverage, assistance statuses, groups, age and disability.

The one home of the eligibility rule. The matching engine judges a need's household with
`eligibility_checks`; the services list stores `admitted_years` per household and offering and
filters on the stored spans, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from domain.households.labels import has_disability
from domain.matching.verdicts import Check

YEAR_MIN, YEAR_MAX = 0, 9999  # the open ends of a span of years
Span = tuple[int, int]  # first and last calendar year, both included


class Profile(Protocol):
    """What eligibility reads of a household."""

    @property
    def statuses(self) -> tuple[str, ...]: ...

    @property
    def labels(self) -> tuple[str, ...]: ...

    @property
    def birth_years(self) -> tuple[int, ...]: ...


@dataclass(frozen=True)
class HouseholdProfile:
    """A household's assistance statuses, labels (groups, circumstances) and birth years."""

    statuses: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    birth_years: tuple[int, ...] = ()


def covering_areas(region_code: str) -> tuple[str, ...]:
    """Every area that covers a division code: each of its prefixes from 2 digits to the whole."""
    return tuple(region_code[:n] for n in range(2, len(region_code) + 1))


def covers(areas: Iterable[str], region_code: str) -> bool:
    """Whether any of the areas covers the division code."""
    return not set(areas).isdisjoint(covering_areas(region_code))


def _ages(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low}–{high}"
    return f"{low} or over" if low is not None else f"up to {high}"


def member_span(birth_year: int, low: int | None, high: int | None) -> Span:
    """The years in which a member born in `birth_year` is aged low..high."""
    return (
        YEAR_MIN if low is None else birth_year + low,
        YEAR_MAX if high is None else birth_year + high,
    )


def status_check(rule: dict[str, Any], statuses: Iterable[str]) -> Check | None:
    """Holds one of the statuses the offering names (None when it names none)."""
    wanted = list(rule.get("statuses") or ())
    if not wanted:
        return None
    held_all = tuple(statuses)
    held = sorted(set(wanted) & set(held_all))
    if held:
        return Check("statuses", True, f"holds {', '.join(held)}")
    have = ", ".join(held_all) or "none"
    return Check("statuses", False, f"needs one of {', '.join(wanted)}; holds {have}")


def group_check(rule: dict[str, Any], labels: Iterable[str]) -> Check | None:
    """Is in one of the groups the offering names (None when it names none)."""
    groups = list(rule.get("groups") or ())
    if not groups:
        return None
    shared = sorted(set(groups) & set(labels))
    if shared:
        return Check("groups", True, f"in group {', '.join(shared)}")
    return Check("groups", False, f"for {', '.join(groups)} only")


def age_check(rule: dict[str, Any], birth_years: Iterable[int], year: int) -> Check | None:
    """A member is of the offering's ages in `year` (None when it has no age limits)."""
    low, high = rule.get("minimum_age"), rule.get("maximum_age")
    if low is None and high is None:
        return None
    fits = any(a <= year <= b for a, b in (member_span(y, low, high) for y in birth_years))
    if fits:
        return Check("age", True, f"a member is aged {_ages(low, high)}")
    return Check("age", False, f"no member aged {_ages(low, high)}")


def disability_check(rule: dict[str, Any], labels: Iterable[str]) -> Check | None:
    """A member has a disability, when the offering requires it (else None)."""
    if not rule.get("disability_required"):
        return None
    if has_disability(labels):
        return Check("disability", True, "a member has a disability")
    return Check("disability", False, "for people with a disability; none on file")


def eligibility_checks(household: Profile, rule: dict[str, Any], year: int) -> list[Check]:
    """Assistance statuses, groups, age (in `year`) and disability, each its own check."""
    checks = (
        status_check(rule, household.statuses),
        group_check(rule, household.labels),
        age_check(rule, household.birth_years, year),
        disability_check(rule, household.labels),
    )
    return [c for c in checks if c is not None]


def admits_anyone(rule: dict[str, Any]) -> bool:
    """Whether the offering's eligibility restricts nobody."""
    return not eligibility_checks(HouseholdProfile(), rule, YEAR_MIN)


def admitted_years(household: Profile, rule: dict[str, Any]) -> tuple[Span, ...]:
    """The spans of years in which every eligibility check passes; none when it never does."""
    fixed = (
        status_check(rule, household.statuses),
        group_check(rule, household.labels),
        disability_check(rule, household.labels),
    )
    if any(c is not None and not c.passed for c in fixed):
        return ()
    low, high = rule.get("minimum_age"), rule.get("maximum_age")
    if low is None and high is None:
        return ((YEAR_MIN, YEAR_MAX),)
    spans = {member_span(y, low, high) for y in household.birth_years}
    return tuple(sorted(s for s in spans if s[0] <= s[1]))
