"""Small builders for test data: CloudEvents and domain commands, with sensible defaults."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

_ids = count(1)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
VILLAGE = "330106002051"


def cloud_event(
    kind: str,
    data: dict[str, Any],
    *,
    source: str = "/330106/test",
    event_id: str | None = None,
    time: datetime | None = None,
    **attributes: Any,
) -> dict[str, Any]:
    """A structured-mode CloudEvent of a zhulian type."""
    event: dict[str, Any] = {
        "specversion": "1.0",
        "id": event_id or f"evt-{next(_ids)}",
        "source": source,
        "type": f"cn.zhulian.{kind}.v1",
        "data": data,
        **attributes,
    }
    if time is not None:
        event["time"] = time.isoformat()
    return event


def household_ref(number: str = "330106198001010011") -> dict[str, str]:
    """A household reference by registration number."""
    return {"registration_number": number}


def discovered(
    number: str = "330106198001010011", region: str = VILLAGE, **extra: Any
) -> dict[str, Any]:
    """Data of household.discovered."""
    return {
        "household": household_ref(number),
        "region_code": region,
        "channel": "grid_worker",
        "reported_by": "grid-worker-wang",
        "members": [{"relation": "head", "birth_year": 1970, "circumstances": ["severe_illness"]}],
        **extra,
    }


def need_raised(number: str = "330106198001010011", **extra: Any) -> dict[str, Any]:
    """Data of need.raised."""
    return {
        "household": household_ref(number),
        "need_type": "survival",
        "category": "medical",
        "urgency": "high",
        "description": "Dialysis costs",
        "raised_by": "civil-affairs",
        **extra,
    }


def hours_ago(hours: float, now: datetime = NOW) -> datetime:
    """A moment some hours before now."""
    return now - timedelta(hours=hours)


def consented(number: str = "330106198001010011", recipient: str = "alliance") -> dict[str, Any]:
    """Data of household.consent.given: the household lets the alliance share its file."""
    return {
        "household": household_ref(number),
        "recipient": recipient,
        "purpose": "referral and matching",
        "document": "consent form 1",
        "actor": "civil-affairs",
    }
