"""Set-wise judgement: one offering against many needs, each distinct case judged once.

`judge_offering` reads of a need only its place, type, category, statuses and, when the
offering's rule asks for them, its labels and its members' birth years in the year it was
raised. Needs that agree on those facts get the same decision (a decision names the candidate,
never the need), so a county-wide offering judged for ten thousand needs runs the rules once
per distinct case rather than once per pair.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.matching.facts import NeedFacts, OfferingFacts
from domain.matching.policy import Policy
from domain.matching.rules import Decision, judge_offering


def offering_case(need: NeedFacts, rule: dict[str, Any]) -> tuple[Any, ...]:
    """The facts of a need that an offering with this eligibility rule can tell apart."""
    ages = rule.get("minimum_age") is not None or rule.get("maximum_age") is not None
    labelled = bool(rule.get("groups") or rule.get("disability_required"))
    return (
        need.region_code,
        need.need_type,
        need.category,
        need.statuses,
        need.coordinates,
        need.labels if labelled else None,
        (need.birth_years, need.raised_at.year) if ages else None,
    )


class OfferingJudge:
    """One offering judged for need after need, each distinct case through the rules once."""

    def __init__(self, offer: OfferingFacts, policy: Policy) -> None:
        self.offer, self.policy = offer, policy
        self._rule = offer.eligibility or {}
        self._seen: dict[tuple[Any, ...], Decision] = {}

    def __call__(self, need: NeedFacts) -> Decision:
        """The decision on the offering for this need (the one `judge_offering` gives)."""
        case = offering_case(need, self._rule)
        decision = self._seen.get(case)
        if decision is None:
            decision = self._seen[case] = judge_offering(need, self.offer, self.policy)
        return decision


def judge_offering_for(
    needs: Iterable[NeedFacts], offer: OfferingFacts, policy: Policy
) -> list[Decision]:
    """The decision on one offering for each need, in order: the pair-by-pair verdicts."""
    judge = OfferingJudge(offer, policy)
    return [judge(need) for need in needs]
