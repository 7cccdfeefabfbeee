"""Generated households for screening tests and benchmarks, with a plain-Python oracle.

Each household's traits are drawn from a seeded generator, so the number of households (and
people) a rule should flag is known in advance by counting the traits directly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from domain.households.identity import pseudonymise

SECRET = "harness-household-secret"  # give it to the app: Settings(household_secret=SECRET)
COUNTY = "330106"  # 西湖区, Hangzhou
# Four real villages (社区) in each of three real towns of the 2023 edition:
# 北山街道, 西溪街道, 翠苑街道.
TOWNS = {
    "330106002": ("051", "052", "053", "054"),
    "330106004": ("053", "055", "056", "058"),
    "330106005": ("001", "002", "051", "052"),
}
MONITORING_LIST = "rural-revitalization/monitoring"
# The reports' example rule: risk not eliminated ∧ a disabled member ∧ not in 低保.
EXAMPLE_RULE = (
    'monitoring_risk == "not_eliminated" && members.exists(m, m.disability_grade > 0)'
    ' && !("dibao" in assistance)'
)


@dataclass(frozen=True)
class Generated:
    """One generated household: its key, village, members and traits."""

    registration: str
    key: str
    region: str
    members: list[dict[str, Any]]
    dibao: bool
    monitored: bool
    risk: str  # on the monitoring list: not_eliminated / eliminated

    @property
    def disabled(self) -> bool:
        """Whether a member has a disability grade."""
        return any(m.get("disability_grade") for m in self.members)

    @property
    def example_hit(self) -> bool:
        """The oracle for EXAMPLE_RULE."""
        return self.monitored and self.risk == "not_eliminated" and self.disabled and not self.dibao


def generate(n: int, seed: int = 7) -> list[Generated]:
    """`n` households over three towns, about a third on the monitoring list."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        registration = f"33010619{i:010d}"
        members = []
        for j in range(rng.randint(1, 5)):
            member: dict[str, Any] = {
                "relation": "head" if j == 0 else "child",
                "birth_year": rng.randint(1940, 2020),
                "circumstances": [],
            }
            if rng.random() < 0.12:
                member["disability_grade"] = rng.randint(1, 4)
                member["circumstances"] = ["disability"]
            elif rng.random() < 0.08:
                member["circumstances"] = ["severe_illness"]
            members.append(member)
        town, villages = list(TOWNS.items())[i % len(TOWNS)]
        out.append(
            Generated(
                registration=registration,
                key=pseudonymise(registration, SECRET),
                region=town + villages[i % 4],
                members=members,
                dibao=rng.random() < 0.3,
                monitored=rng.random() < 0.35,
                risk="not_eliminated" if rng.random() < 0.6 else "eliminated",
            )
        )
    return out


def discovery_events(households: list[Generated], source: str = "test/gen") -> list[dict[str, Any]]:
    """CloudEvents that open each file (and grant 低保 where drawn)."""
    events = []
    for h in households:
        events.append(
            {
                "specversion": "1.0",
                "id": f"d-{h.registration}",
                "source": source,
                "type": "cn.zhulian.household.discovered.v2",
                "data": {
                    "actor": "civil-affairs",
                    "household": {"registration_number": h.registration},
                    "region_code": h.region,
                    "channel": "cadre_check",
                    "members": h.members,
                },
            }
        )
        if h.dibao:
            events.append(
                {
                    "specversion": "1.0",
                    "id": f"g-{h.registration}",
                    "source": source,
                    "type": "cn.zhulian.household.assistance_granted.v2",
                    "data": {
                        "actor": "civil-affairs",
                        "household": {"registration_number": h.registration},
                        "status": "dibao",
                    },
                }
            )
    return events


def monitoring_rows(households: list[Generated]) -> list[dict[str, Any]]:
    """The rural-revitalization bureau's monitoring list: one row per monitored household."""
    return [
        {"household": {"household_key": h.key}, "facts": {"risk": h.risk}}
        for h in households
        if h.monitored
    ]
