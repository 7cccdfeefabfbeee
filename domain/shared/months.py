"""One wall clock for the alliances: months and days are derived in Asia/Shanghai."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

ALLIANCE_TIME = ZoneInfo("Asia/Shanghai")


def month_of(at: datetime) -> str:
    """The month ('YYYY-MM') an instant falls in on the alliances' clock."""
    return f"{at.astimezone(ALLIANCE_TIME):%Y-%m}"


def day_of(at: datetime) -> str:
    """The day ('YYYY-MM-DD') an instant falls in on the alliances' clock."""
    return f"{at.astimezone(ALLIANCE_TIME):%Y-%m-%d}"
