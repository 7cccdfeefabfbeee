"""Needs, referrals and household files as the read API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from services.api.models.common import Model, Page


class Need(Model):
    """One need of the needs list (需求清单)."""

    need_id: str
    household_id: str
    region_code: str
    need_type: str = Field(description="survival, care or development")
    category: str
    urgency: str
    urgency_rank: int = Field(description="0 is the most urgent")
    status: str
    description: str | None
    raised_by: str | None
    raised_at: datetime
    referral_id: str | None = Field(description="The referral holding the need, if any")
    holder: str | None = Field(description="The department holding that referral")
    updated_at: datetime | None
    version: int | None


class NeedPage(Page[Need]):
    """A page of the needs list."""


class Referral(Model):
    """One referral (转介) with who holds it and its feedback deadline."""

    referral_id: str
    need_id: str
    household_id: str | None
    region_code: str | None
    category: str | None
    urgency: str | None
    from_department: str | None
    holder: str | None
    status: str
    awaiting_feedback: bool | None
    requested_at: datetime | None
    accepted_at: datetime | None
    feedback_due_at: datetime | None
    first_feedback_at: datetime | None
    completed_at: datetime | None
    followed_up_at: datetime | None
    last_note: str | None
    updated_at: datetime | None
    version: int | None
    overdue: bool = Field(description="Feedback is owed and its deadline has passed")


class ReferralPage(Page[Referral]):
    """A page of the referral board."""


class Household(Model):
    """A household file (一户一档): members, statuses, circle, group, plan."""

    household_id: str
    household_key: str = Field(description="The pseudonymous key (hh_…)")
    region_code: str
    members: list[dict[str, Any]]
    assistance: list[str] = Field(description="Assistance statuses held now")
    difficulty_circle: int | None
    household_group: str | None
    plan: str | None
    discovered_at: datetime | None
    first_channel: str | None
    reports: int
    needs_open: int
    needs_total: int
    updated_at: datetime | None
    version: int | None


class HouseholdPage(Page[Household]):
    """A page of household files."""


class HouseholdFile(Household):
    """A household file with its needs."""

    needs: list[Need]


class TimelineEntry(Model):
    """One event about a household, in log order."""

    household_id: str
    position: int
    occurred_at: datetime | None
    recorded_at: datetime | None
    record_kind: str
    record_id: str
    record_version: int | None
    event_type: str
    summary: str | None
    by_whom: str | None


class TimelinePage(Page[TimelineEntry]):
    """A page of a household's timeline."""

    household_id: str
