"""The records' state as the matching rules see it: a need with its household, an offering in a
month, a fund's pools, a listed policy."""

from __future__ import annotations

from typing import Any

from domain.funds.model import Fund
from domain.households.model import Household
from domain.matching.facts import (
    FundFacts,
    NeedFacts,
    OfferingFacts,
    PolicyFacts,
    Pool,
    birth_years,
    coordinates_of,
    household_labels,
)
from domain.matching.policy_list import PolicyEntry
from domain.needs.model import Need
from domain.supply.model import Offering


def need_facts(need: Need, household: Household) -> NeedFacts:
    """What the rules need to know of a need and its household."""
    return NeedFacts(
        need_id=str(need.id),
        region_code=need.region_code,
        need_type=need.need_type,
        category=need.category,
        urgency=need.urgency,
        raised_at=need.created_on,
        statuses=tuple(sorted(household.assistance)),
        labels=household_labels(household.members, household.group),
        birth_years=birth_years(household.members),
        circle=household.difficulty_circle,
        coordinates=coordinates_of(getattr(household, "place", None)),
        description=getattr(need, "description", ""),
        policy=getattr(need, "policy", ""),
    )


def offering_facts(offering: Offering, period: str) -> OfferingFacts:
    """An offering aggregate as the rules see it in a month."""
    left = offering.remaining(period)
    return OfferingFacts(
        offering_id=str(offering.id),
        provider_id=str(offering.provider_id),
        name=offering.name,
        need_type=offering.need_type,
        category=offering.category,
        areas=offering.areas,
        eligibility=offering.eligibility,
        capacity=offering.capacity,
        used=0 if left is None or offering.capacity is None else offering.capacity - left,
        location=offering.location,
        open=not offering.closed,
    )


def policy_facts(entry: PolicyEntry) -> PolicyFacts:
    """A listed policy as the rules see it."""
    t = entry.terms
    return PolicyFacts(
        policy_id=str(entry.id),
        code=entry.code,
        name=t["name"],
        department=t["department"],
        need_type=t["need_type"],
        categories=tuple(t["categories"]),
        eligibility=t["eligibility"],
        not_holding=tuple(t["not_holding"]),
        grants=t["grants"],
        keywords=tuple(t["keywords"]),
        open=not entry.withdrawn,
    )


def earmark_of_pool(key: str) -> dict[str, Any] | None:
    """The earmark a fund's pool key stands for (see Earmark.key); None for free money."""
    if not key:
        return None
    group, category, region = key.split("|")
    return {"group": group or None, "category": category or None, "region": region or None}


def fund_facts(fund: Fund) -> FundFacts:
    """A fund aggregate as the rules see it."""
    pools = tuple(
        Pool(earmark_of_pool(key), sum(pool.values())) for key, pool in fund.pools.items()
    )
    return FundFacts(str(fund.id), fund.name, fund.region_code, pools)
