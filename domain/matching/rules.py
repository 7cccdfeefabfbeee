"""The matching rules: pure functions from facts to a decision that carries its explanation.

The single rules live in `checks` (type, region, circle, policy, load) and `eligibility`
(statuses, groups, age, disability); here they are put together per candidate.
"""

from __future__ import annotations

from domain.funds.earmark import Earmark
from domain.matching.checks import (
    LOCALITY,
    coverage_level,
    load_part,
    not_excluded,
    region_covered,
    type_fits,
    within_circle,
)
from domain.matching.eligibility import eligibility_checks
from domain.matching.facts import FundFacts, NeedFacts, OfferingFacts, Pool
from domain.matching.policy import Policy
from domain.matching.priority import priority, priority_parts
from domain.matching.verdicts import FULL, Check, Decision, weighted
from domain.shared.money import show

__all__ = [
    "FULL",
    "Check",
    "Decision",
    "judge_fund",
    "judge_offering",
    "load_part",
    "priority",
    "priority_parts",
    "usable_pools",
]


def judge_offering(need: NeedFacts, offer: OfferingFacts, policy: Policy) -> Decision:
    """Every rule on one offering for one need, and the offering's fit."""
    rule = offer.eligibility or {}
    circle, distance = within_circle(need, offer.location, policy)
    left = offer.remaining
    kind, taxonomy = type_fits(need, offer.need_type, offer.category, policy)
    checks = [
        Check("open", offer.open, "offered now" if offer.open else "the offering is closed"),
        kind,
        region_covered(need, offer.areas, policy),
        circle,
        *eligibility_checks(need, rule, need.raised_at.year),
        Check("capacity", True, "no monthly limit")
        if left is None
        else Check("capacity", left > 0, f"{left} of {offer.capacity} left this month"),
        not_excluded(need, (offer.offering_id, offer.provider_id), policy),
    ]
    level = coverage_level(need.region_code, offer.areas)
    targeted = bool(rule.get("statuses") or rule.get("groups"))
    restricted = rule.get("minimum_age") is not None or rule.get("maximum_age") is not None
    parts = {
        "distance": distance or (LOCALITY.get(level, 200) if level else 0),
        "load": load_part(left, offer.capacity),
        "earmark_fit": 1000
        if targeted
        else 700
        if restricted or rule.get("disability_required")
        else 400,
        "taxonomy": taxonomy,
    }
    return Decision(
        offer.offering_id,
        "offering",
        offer.name,
        tuple(checks),
        parts,
        weighted(parts, policy),
        level,
    )


def _pool_fit(pool: Pool) -> int:
    if pool.earmark is None:
        return 300
    if pool.earmark.get("group"):
        return 1000
    return 800 if pool.earmark.get("category") else 600


def usable_pools(need: NeedFacts, fund: FundFacts) -> list[Pool]:
    """Pools whose earmark admits this need, best fitting first."""
    ok = [
        p
        for p in fund.pools
        if p.earmark is None
        or (mark := Earmark.from_record(p.earmark)) is None
        or mark.matches(need.labels, need.category, need.region_code)
    ]
    return sorted(ok, key=lambda p: (-_pool_fit(p), -p.available_fen))


def judge_fund(need: NeedFacts, fund: FundFacts, policy: Policy) -> Decision:
    """Every rule on one fund for one need: region, a pool that admits it and has money, policy."""
    pools = usable_pools(need, fund)
    rich = [p for p in pools if p.available_fen >= policy.grant_fen]
    best = rich[0] if rich else None
    if best is not None:
        what = "free money" if best.earmark is None else f"money earmarked for {_mark(best)}"
        money = Check("money", True, f"{show(best.available_fen)} of {what}")
    elif pools:
        money = Check("money", False, f"no admitting pool holds {show(policy.grant_fen)}")
    else:
        money = Check("money", False, "its earmarks do not admit this household's need")
    checks = (
        region_covered(need, (fund.region_code,), policy),
        money,
        not_excluded(need, (fund.fund_id,), policy),
    )
    level = coverage_level(need.region_code, (fund.region_code,))
    parts = {
        "distance": LOCALITY.get(level, 200) if level else 0,
        "load": min(best.available_fen // policy.grant_fen, 10) * 100 if best else 0,
        "earmark_fit": _pool_fit(best) if best else 0,
    }
    return Decision(fund.fund_id, "fund", fund.name, checks, parts, weighted(parts, policy), level)


def _mark(pool: Pool) -> str:
    mark = Earmark.from_record(pool.earmark)
    return mark.describe() if mark else "nothing"
