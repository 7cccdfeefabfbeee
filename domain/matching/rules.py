"""The matching rules: pure functions from facts to a decision that carries its explanation."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.funds.earmark import Earmark
from domain.matching.facts import FundFacts, NeedFacts, OfferingFacts, Pool
from domain.matching.policy import Policy
from domain.shared.money import show
from domain.shared.regions import Level, chain_up, level_of

# Scores are whole points: each part is 0..1000, multiplied by its integer weight.
FULL = 1000
_LEVEL_ORDER = (Level.VILLAGE.value, Level.TOWN.value, Level.COUNTY.value)
_LOCALITY = {Level.VILLAGE.value: 1000, Level.TOWN.value: 700, Level.COUNTY.value: 400}
_URGENCY = {"critical": 1000, "high": 700, "normal": 400, "low": 100}
_CIRCLE = {1: 1000, 2: 600, 3: 300}


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


def _weighted(parts: dict[str, int], policy: Policy) -> int:
    """The weighted mean of the parts: 0 to 1000 points."""
    total = sum(policy.weights.get(name, 0) for name in parts)
    if total == 0:
        return 0
    return sum(policy.weights.get(name, 0) * value for name, value in parts.items()) // total


# --- the rules -------------------------------------------------------------------------


def type_fits(need: NeedFacts, need_type: str, category: str, policy: Policy) -> Check:
    """The service's type and category answer the need's (NeedType × Category)."""
    if category != need.category:
        return Check("type", False, f"gives {category} help; the need is {need.category}")
    if need_type != need.need_type and policy.require_need_type:
        return Check(
            "type", False, f"a {need_type} service; the need is {need.need_type} ({category})"
        )
    return Check("type", True, f"{need_type}/{category} answers a {need.need_type} need")


def region_covered(need: NeedFacts, areas: tuple[str, ...], policy: Policy) -> Check:
    """The household's village, else its town, else its county is in the service area."""
    level = coverage_level(need.region_code, areas)
    if level is None:
        return Check("region", False, f"covers {', '.join(areas)}, not {need.region_code}")
    if _LEVEL_ORDER.index(level) > _LEVEL_ORDER.index(policy.widest_level):
        return Check(
            "region", False, f"covers only at {level} level; policy stops at {policy.widest_level}"
        )
    return Check("region", True, f"covers the household's {level}")


def coverage_level(region_code: str, areas: tuple[str, ...]) -> str | None:
    """The level at which the areas cover the region: village, town, county, or None."""
    # The most specific covering area decides the level: a village area is a village match.
    best = max((a for a in areas if region_code.startswith(a)), key=len, default=None)
    if best is None:
        return None
    if len(best) >= 12:
        return Level.VILLAGE.value
    if len(best) >= 9:
        return Level.TOWN.value
    return Level.COUNTY.value


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _place(location: dict[str, Any] | None) -> tuple[float, float] | None:
    if not location or location.get("latitude") is None or location.get("longitude") is None:
        return None
    return (float(location["latitude"]), float(location["longitude"]))


def within_circle(
    need: NeedFacts, location: dict[str, Any] | None, policy: Policy
) -> tuple[Check, int]:
    """The ten-minute service circle, where both ends have coordinates; the distance part."""
    station = _place(location)
    if station is not None and need.coordinates is not None:
        km = distance_km(station, need.coordinates)
        inside = km <= policy.circle_km
        part = (
            FULL - int(500 * km / policy.circle_km)
            if inside
            else int(500 * policy.circle_km / max(km, 0.001))
        )
        passed = inside or not policy.require_circle
        where = "inside" if inside else "outside"
        return Check(
            "circle", passed, f"{km:.1f} km away, {where} the {policy.circle_km} km circle"
        ), part
    if location and location.get("region_code"):
        code = str(location["region_code"])
        shared = next((c for c in chain_up(need.region_code) if code.startswith(c)), None)
        part = _LOCALITY.get(level_of(shared).value, 100) if shared else 100
        near = f"given in {code}"
        return Check("circle", True, f"{near}; no household coordinates, judged by region"), part
    return Check("circle", True, "not tied to a place"), 0


def _age_fits(need: NeedFacts, low: int | None, high: int | None) -> bool:
    ages = [need.raised_at.year - y for y in need.birth_years]
    return any((low is None or a >= low) and (high is None or a <= high) for a in ages)


def eligibility_checks(need: NeedFacts, rule: dict[str, Any]) -> list[Check]:
    """Assistance statuses, groups, age and disability, each its own check."""
    checks: list[Check] = []
    statuses = list(rule.get("statuses") or ())
    if statuses:
        held = sorted(set(statuses) & set(need.statuses))
        checks.append(
            Check("statuses", True, f"holds {', '.join(held)}")
            if held
            else Check(
                "statuses",
                False,
                f"needs one of {', '.join(statuses)}; holds {', '.join(need.statuses) or 'none'}",
            )
        )
    groups = list(rule.get("groups") or ())
    if groups:
        shared = sorted(set(groups) & set(need.labels))
        checks.append(
            Check("groups", True, f"in group {', '.join(shared)}")
            if shared
            else Check("groups", False, f"for {', '.join(groups)} only")
        )
    low, high = rule.get("minimum_age"), rule.get("maximum_age")
    if low is not None or high is not None:
        span = (
            f"{low}–{high}"
            if low is not None and high is not None
            else f"{low} or over"
            if low is not None
            else f"up to {high}"
        )
        checks.append(
            Check("age", True, f"a member is aged {span}")
            if _age_fits(need, low, high)
            else Check("age", False, f"no member aged {span}")
        )
    if rule.get("disability_required"):
        checks.append(
            Check("disability", need.disabled, "a member has a disability")
            if need.disabled
            else Check("disability", False, "for people with a disability; none on file")
        )
    return checks


def not_excluded(need: NeedFacts, targets: tuple[str, ...], policy: Policy) -> Check:
    """No entry of the policy list rules the candidate out for this need."""
    for e in policy.exclusions:
        if e.target and e.target not in targets:
            continue
        if e.category and e.category != need.category:
            continue
        if e.statuses and not set(e.statuses) & set(need.statuses):
            continue
        return Check("policy", False, f"excluded by the policy list: {e.reason}")
    return Check("policy", True, "no policy-list exclusion applies")


def load_part(remaining: int | None, capacity: int | None) -> int:
    """Free capacity in whole tenths (rounded up), so most single uses leave it unchanged."""
    if capacity is None or remaining is None:
        return FULL
    if capacity <= 0 or remaining <= 0:
        return 0
    return -(-remaining * 10 // capacity) * 100


# --- candidates ------------------------------------------------------------------------


def judge_offering(need: NeedFacts, offer: OfferingFacts, policy: Policy) -> Decision:
    """Every rule on one offering for one need, and the offering's fit."""
    rule = offer.eligibility or {}
    circle, distance = within_circle(need, offer.location, policy)
    left = offer.remaining
    checks = [
        Check("open", offer.open, "offered now" if offer.open else "the offering is closed"),
        type_fits(need, offer.need_type, offer.category, policy),
        region_covered(need, offer.areas, policy),
        circle,
        *eligibility_checks(need, rule),
        Check("capacity", True, "no monthly limit")
        if left is None
        else Check("capacity", left > 0, f"{left} of {offer.capacity} left this month"),
        not_excluded(need, (offer.offering_id, offer.provider_id), policy),
    ]
    level = coverage_level(need.region_code, offer.areas)
    targeted = bool(rule.get("statuses") or rule.get("groups"))
    restricted = rule.get("minimum_age") is not None or rule.get("maximum_age") is not None
    parts = {
        "distance": distance or (_LOCALITY.get(level, 200) if level else 0),
        "load": load_part(left, offer.capacity),
        "earmark_fit": 1000
        if targeted
        else 700
        if restricted or rule.get("disability_required")
        else 400,
    }
    return Decision(
        offer.offering_id,
        "offering",
        offer.name,
        tuple(checks),
        parts,
        _weighted(parts, policy),
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
        "distance": _LOCALITY.get(level, 200) if level else 0,
        "load": min(best.available_fen // policy.grant_fen, 10) * 100 if best else 0,
        "earmark_fit": _pool_fit(best) if best else 0,
    }
    return Decision(fund.fund_id, "fund", fund.name, checks, parts, _weighted(parts, policy), level)


def _mark(pool: Pool) -> str:
    mark = Earmark.from_record(pool.earmark)
    return mark.describe() if mark else "nothing"


# --- the need's place in the queue -----------------------------------------------------


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
    return _weighted({k: v for k, v in parts.items() if k != "waiting"}, policy)
