"""A generated alliance for the match-queue benchmark: households, needs, offerings, funds.

Events come from real aggregates built in memory (no event store): the benchmark measures the
view, fed through the same store.step() the projection runner uses.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.funds.model import Fund
from domain.households.model import Household
from domain.households.vocabulary import Assistance
from domain.needs.model import Need
from domain.shared.taxonomy import Category, NeedType
from domain.supply.model import Offering, Provider
from domain.supply.terms import OfferingTerms

COUNTY = "330106"
TOWNS = 30
VILLAGES_PER_TOWN = 15
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
_STATUSES = (Assistance.DIBAO, Assistance.DIBIAN, Assistance.TEKUN)
DEPARTMENTS = ("civil-affairs", "hrss", "health", "education", "disabled-federation")
# Which tier of need each category is usually raised as.
TIERS = {
    Category.LIVING: (NeedType.SURVIVAL,),
    Category.MEDICAL: (NeedType.SURVIVAL, NeedType.CARE),
    Category.EDUCATION: (NeedType.SURVIVAL, NeedType.DEVELOPMENT),
    Category.CARE: (NeedType.CARE,),
    Category.PSYCHOLOGICAL: (NeedType.CARE,),
    Category.EMPLOYMENT: (NeedType.DEVELOPMENT,),
    Category.HOUSING: (NeedType.SURVIVAL,),
    Category.LEGAL: (NeedType.DEVELOPMENT,),
    Category.DISABILITY: (NeedType.CARE,),
    Category.EMERGENCY: (NeedType.SURVIVAL,),
}


def towns() -> list[str]:
    """The county's town codes."""
    return [f"{COUNTY}{t:03d}" for t in range(1, TOWNS + 1)]


def villages() -> list[str]:
    """Every village code of the county."""
    return [f"{town}{v:03d}" for town in towns() for v in range(1, VILLAGES_PER_TOWN + 1)]


@dataclass
class Workload:
    """The generated events in log order, and the offerings to change later."""

    events: list[Any] = field(default_factory=list)
    offerings: dict[str, list[Offering]] = field(default_factory=dict)  # by coverage level
    need_count: int = 0

    def add(self, *aggregates: Any) -> None:
        """Append the pending events of aggregates."""
        for aggregate in aggregates:
            self.events.extend(aggregate.collect_events())


def _uuid(rng: random.Random) -> UUID:
    return UUID(int=rng.getrandbits(128), version=4)


def _offering(rng: random.Random, provider: Provider, level: str, area: str) -> Offering:
    category = rng.choice(list(Category))
    rule: dict[str, Any] = {}
    roll = rng.random()
    if roll < 0.3:
        rule["statuses"] = rng.sample(["dibao", "dibian", "tekun", "monitoring"], 2)
    elif roll < 0.4:
        rule["minimum_age"] = 60
    raw = {
        "name": f"{category.value} service {level} {area}",
        "need_type": rng.choice(TIERS[category]).value,
        "category": category.value,
        "areas": [area],
        "capacity": None if rng.random() < 0.15 else rng.randint(5, 200),
        "eligibility": rule,
    }
    if level == "village":
        raw["location"] = {"name": "station", "region_code": area}
    terms = OfferingTerms.parse(raw).as_record()
    return Offering(
        id=_uuid(rng),
        provider_id=provider.id,
        region_code=COUNTY,
        description="",
        published_by="civil-affairs",
        published_at=NOW - timedelta(days=100),
        **{k: v for k, v in terms.items() if k != "description"},
    )


def generate(needs: int, offerings: int, seed: int = 7) -> Workload:
    """An alliance with `needs` open needs (one per household) and `offerings` offerings."""
    rng = random.Random(seed)
    w = Workload()
    at = NOW - timedelta(days=120)
    providers = [
        Provider(
            id=_uuid(rng),
            name=f"provider {i}",
            kind="social_work_provider",
            region_code=COUNTY,
            description="",
            registered_by="civil-affairs",
            registered_at=at,
        )
        for i in range(max(offerings // 20, 1))
    ]
    w.add(*providers)
    county_wide = max(offerings // 100, 1)
    town_level = offerings * 24 // 100
    for i in range(offerings):
        if i < county_wide:
            level, area = "county", COUNTY
        elif i < county_wide + town_level:
            level, area = "town", rng.choice(towns())
        else:
            level, area = "village", rng.choice(villages())
        offering = _offering(rng, rng.choice(providers), level, area)
        w.offerings.setdefault(level, []).append(offering)
        w.add(offering)
    for region in [COUNTY, *towns()]:
        fund = Fund(
            id=_uuid(rng),
            name=f"charity fund {region}",
            region_code=region,
            managed_by="charity",
            description="",
            opened_at=at,
        )
        fund.receive(
            donation_id=_uuid(rng),
            donor="company",
            donor_kind="company",
            amount_fen=rng.randint(5, 500) * 100_000,
            earmark=None,
            by="charity",
            at=at,
        )
        w.add(fund)
    all_villages = villages()
    for i in range(needs):
        household = Household(
            household_key=f"hh_{i:032x}",
            region_code=rng.choice(all_villages),
            channel="grid_worker",
            reported_by="grid-worker",
            discovered_at=at,
            members=[
                {
                    "relation": "head",
                    "birth_year": rng.randint(1930, 2000),
                    "circumstances": rng.sample(
                        ["elderly_alone", "disability", "single_parent"], 1
                    ),
                    "disability_grade": None,
                }
            ],
            note="",
        )
        if rng.random() < 0.5:
            household.grant(status=rng.choice(_STATUSES), by="civil-affairs", at=at)
        category = rng.choice(list(Category))
        need = Need(
            id=_uuid(rng),
            household_id=household.id,
            region_code=household.region_code,
            need_type=rng.choice(TIERS[category]).value,
            category=category.value,
            urgency=rng.choices(["critical", "high", "normal", "low"], [1, 3, 5, 2])[0],
            description=f"need {i}",
            raised_by=rng.choice(DEPARTMENTS),
            raised_at=NOW - timedelta(hours=rng.randint(1, 24 * 90)),
            policy="",
        )
        w.add(household, need)
    w.need_count = needs
    return w
