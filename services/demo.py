"""The demo district: households from the reports, published through the real ingest path."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from itertools import count
from typing import TYPE_CHECKING, Any

from services.demo_supply import load_supply
from services.ingest.catalogue import PREFIX

if TYPE_CHECKING:
    from services.container import Container

log = logging.getLogger(__name__)
COUNTY = "330106"
_ids = count(1)


class DemoPublisher:
    """Publishes demo events at times relative to now and remembers the records they made."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.now = container.clock()

    def publish(self, kind: str, source: str, hours_ago: float, data: dict[str, Any]) -> str:
        """Send one event through ingest; return the id of the record it changed."""
        at: datetime = self.now - timedelta(hours=hours_ago)
        result = self.container.ingestor.submit(
            {
                "specversion": "1.0",
                "id": f"demo-{next(_ids):05d}",
                "source": f"/{COUNTY}/{source}",
                "type": PREFIX + kind,
                "time": at.isoformat(),
                "data": data,
            }
        )
        if result.outcome is None:
            raise RuntimeError(f"demo event {kind} was refused: {result.problem}")
        return str(result.outcome.aggregate_id)

    def household(
        self,
        number: str,
        village: str,
        channel: str,
        by: str,
        hours_ago: float,
        members: list[dict[str, Any]],
        note: str,
    ) -> dict[str, str]:
        """Discover a household; return its reference for later events."""
        ref = {"registration_number": number}
        self.publish(
            "household.discovered.v1",
            by,
            hours_ago,
            {
                "household": ref,
                "region_code": village,
                "channel": channel,
                "reported_by": by,
                "members": members,
                "note": note,
            },
        )
        return ref

    def need(
        self,
        ref: dict[str, str],
        by: str,
        hours_ago: float,
        need_type: str,
        category: str,
        urgency: str,
        description: str,
    ) -> str:
        """Raise a need; return its id."""
        return self.publish(
            "need.raised.v1",
            by,
            hours_ago,
            {
                "household": ref,
                "need_type": need_type,
                "category": category,
                "urgency": urgency,
                "description": description,
                "raised_by": by,
            },
        )

    def refer(
        self, need_id: str, to: str, hours_ago: float, *steps: tuple[str, float, dict[str, Any]]
    ) -> str:
        """Refer a need and play the given steps (kind, hours ago, extra data) by the holder."""
        referral_id = self.publish(
            "referral.requested.v1",
            "civil-affairs",
            hours_ago,
            {
                "need_id": need_id,
                "from_department": "civil-affairs",
                "to_department": to,
            },
        )
        for kind, ago, extra in steps:
            self.publish(
                f"referral.{kind}.v1",
                to,
                ago,
                {
                    "referral_id": referral_id,
                    "department": extra.pop("department", to),
                    **extra,
                },
            )
        return referral_id

    def grant(self, ref: dict[str, str], status: str, by: str, hours_ago: float) -> None:
        """Grant an assistance status."""
        self.publish(
            "household.assistance_granted.v1",
            by,
            hours_ago,
            {"household": ref, "status": status, "department": by},
        )


def load_demo(container: Container) -> None:
    """Publish the demo district's stories."""
    d = DemoPublisher(container)
    day = 24.0
    # A father of two with uremia, found on a door-to-door sweep.
    uremia = d.household(
        "DEMO3301060001",
        "330106001001",
        "grid_worker",
        "grid-worker-wang",
        70 * day,
        [
            {"relation": "head", "birth_year": 1983, "circumstances": ["severe_illness"]},
            {"relation": "child", "birth_year": 2012, "circumstances": ["child_in_school"]},
            {"relation": "child", "birth_year": 2015, "circumstances": ["child_in_school"]},
        ],
        "Uremia, dialysis three times a week; found on 入户排查",
    )
    dialysis = d.need(
        uremia,
        "civil-affairs",
        69 * day,
        "survival",
        "medical",
        "critical",
        "Dialysis costs exceed household income",
    )
    d.grant(uremia, "temporary", "civil-affairs", 68 * day)
    d.refer(
        dialysis,
        "community-charity-fund",
        68 * day,
        ("accepted", 67.5 * day, {}),
        ("feedback_given", 67 * day, {"content": "Charity aid of 8,000 yuan approved"}),
        ("completed", 66 * day, {"outcome": "Aid paid; living support arranged"}),
        (
            "followed_up",
            50 * day,
            {"satisfied": True, "note": "Medical costs rising", "department": "civil-affairs"},
        ),
    )
    d.grant(uremia, "dibao", "civil-affairs", 10 * day)
    d.need(
        uremia,
        "grid-worker-wang",
        5 * day,
        "development",
        "education",
        "normal",
        "School supplies and tutoring for two children",
    )

    # A man after a cerebral haemorrhage: temporary aid, monitoring, then certification.
    stroke = d.household(
        "DEMO3301060002",
        "330106001002",
        "data_comparison",
        "health",
        40 * day,
        [
            {"relation": "head", "birth_year": 1969, "circumstances": ["severe_illness"]},
        ],
        "Cerebral haemorrhage; hospital data comparison hit",
    )
    d.grant(stroke, "temporary", "civil-affairs", 39 * day)
    d.grant(stroke, "monitoring", "rural-revitalization", 39 * day)
    certification = d.need(
        stroke,
        "civil-affairs",
        3 * day,
        "care",
        "disability",
        "high",
        "Disability certification and the two disability subsidies",
    )
    d.refer(certification, "disabled-federation", 2 * day, ("accepted", 30, {}))

    # A widow with two children at school.
    widow = d.household(
        "DEMO3301060003",
        "330106002001",
        "cadre_check",
        "village-cadre-li",
        20 * day,
        [
            {"relation": "head", "birth_year": 1986, "circumstances": ["single_parent"]},
            {"relation": "child", "birth_year": 2010, "circumstances": ["child_in_school"]},
            {"relation": "child", "birth_year": 2013, "circumstances": ["child_in_school"]},
        ],
        "Husband died in an accident",
    )
    tuition = d.need(
        widow,
        "civil-affairs",
        19 * day,
        "survival",
        "education",
        "high",
        "Tuition for the autumn term",
    )
    d.refer(
        tuition,
        "education",
        19 * day,
        ("accepted", 18.5 * day, {}),
        ("routed", 18 * day, {"to_unit": "county student-aid centre"}),
        ("feedback_given", 17 * day, {"content": "Tuition waiver approved, paid next week"}),
    )
    job = d.need(
        widow,
        "civil-affairs",
        4 * day,
        "development",
        "employment",
        "normal",
        "A public-welfare job near home (from transfusion to blood-making)",
    )
    d.refer(job, "village-charity", 3)

    # Three disabled members, work lost: a data-comparison hit and a household check.
    three = d.household(
        "DEMO3301060004",
        "330106002002",
        "data_comparison",
        "rural-revitalization",
        15 * day,
        [
            {
                "relation": "head",
                "birth_year": 1960,
                "circumstances": ["disability"],
                "disability_grade": 2,
            },
            {
                "relation": "spouse",
                "birth_year": 1962,
                "circumstances": ["disability"],
                "disability_grade": 3,
            },
            {
                "relation": "child",
                "birth_year": 1990,
                "circumstances": ["disability", "unemployed_long_term"],
                "disability_grade": 2,
            },
        ],
        "Risk not eliminated, disabled members, not in dibao",
    )
    living = d.need(
        three,
        "civil-affairs",
        14 * day,
        "survival",
        "living",
        "high",
        "Income lost; temporary assistance",
    )
    d.refer(
        living,
        "civil-affairs-town",
        14 * day,
        ("accepted", 13.8 * day, {}),
        ("feedback_given", 13 * day, {"content": "Temporary assistance of 2,500 yuan"}),
        ("completed", 12 * day, {"outcome": "2,500 yuan paid"}),
    )
    d.grant(three, "temporary", "civil-affairs", 12 * day)

    # An old man living alone with a swollen leg, reported by neighbours.
    alone = d.household(
        "DEMO3301060005",
        "330106003001",
        "neighbour",
        "neighbour-report",
        1 * day,
        [
            {
                "relation": "head",
                "birth_year": 1944,
                "circumstances": ["elderly_alone", "chronic_illness"],
            }
        ],
        "Badly swollen leg, cannot walk to the clinic",
    )
    leg = d.need(
        alone,
        "grid-worker-zhao",
        20,
        "survival",
        "medical",
        "critical",
        "Hospital treatment and the bill",
    )
    d.refer(leg, "health", 6, ("accepted", 2, {}))
    d.need(alone, "grid-worker-zhao", 19, "care", "care", "high", "Daily home care after discharge")

    # A severely disabled villager the grid worker visited on their own initiative.
    villager = d.household(
        "DEMO3301060006",
        "330106003002",
        "grid_worker",
        "grid-worker-zhao",
        6 * day,
        [
            {
                "relation": "head",
                "birth_year": 1975,
                "circumstances": ["disability"],
                "disability_grade": 1,
            }
        ],
        "Helped to apply on a home visit",
    )
    d.need(
        villager, "grid-worker-zhao", 6 * day, "care", "care", "high", "Severe-disability home care"
    )
    d.need(
        villager,
        "grid-worker-zhao",
        6 * day,
        "survival",
        "living",
        "normal",
        "Apply for single-person dibao",
    )

    # Human resources' quarterly list: registered unemployed for more than six months.
    jobless = d.household(
        "DEMO3301060007",
        "330106001003",
        "data_comparison",
        "hrss",
        9 * day,
        [{"relation": "head", "birth_year": 1979, "circumstances": ["unemployed_long_term"]}],
        "Quarterly list: unemployed > 6 months",
    )
    d.need(
        jobless,
        "hrss",
        9 * day,
        "development",
        "employment",
        "normal",
        "Job placement and skills training",
    )
    load_supply(
        d,
        {
            "dialysis": dialysis,
            "tuition": tuition,
            "leg": leg,
            "widow": widow["registration_number"],
            "alone": alone["registration_number"],
            "villager": villager["registration_number"],
        },
    )


def load_demo_if_empty(container: Container) -> bool:
    """Load the demo district on first start only."""
    if container.app.recorder.max_notification_id():
        return False
    load_demo(container)
    log.info("demo district loaded")
    return True
