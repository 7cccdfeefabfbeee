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
    """One referral (转介): who holds it, the answer it owes and by when, breaches, escalation."""

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
    acceptance_due_at: datetime | None = Field(
        None,
        description="When acceptance is due: the policy's hours after the request was recorded",
    )
    next_due_at: datetime | None = Field(
        None, description="The deadline of the answer owed now (acceptance or first feedback)"
    )
    accepted_late: bool | None = Field(None, description="Accepted after its deadline (recorded)")
    feedback_late: bool | None = Field(None, description="First feedback after its deadline")
    breaches: int | None = Field(None, description="Deadlines missed, as the clock recorded")
    last_breach_due_at: datetime | None = Field(
        None, description="The due time of the last missed deadline"
    )
    escalated_to: str | None = Field(None, description="The level the referral is escalated to")
    overdue: bool = Field(description="An answer is owed and its deadline has passed")


class ReferralPage(Page[Referral]):
    """A page of the referral board."""


class Household(Model):
    """A household file (一户一档): members, statuses, circle, group, plan."""

    household_id: str
    household_key: str = Field(description="The pseudonymous key (hh_…)")
    region_code: str
    members: list[dict[str, Any]]
    assistance: list[str] = Field(description="Assistance statuses held now")
    temporary_grants: list[dict[str, Any]] = Field(
        default_factory=list,
        description="One-off temporary assistance (临时救助): granted_at, amount_fen (null when"
        " recorded without one), by",
    )
    answer_due_at: datetime | None = Field(
        None, description="A self-application's first answer is due then (null: none owed)"
    )
    answered_at: datetime | None = Field(None, description="When it was last answered")
    answer_late: bool | None = Field(None, description="The answer was recorded after its due")
    last_overdue_due_at: datetime | None = Field(
        None, description="The due time of the last answer the clock recorded as missed"
    )
    escalated_to: str | None = Field(None, description="Where an unanswered file escalated to")
    sharing: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Consents (basis consent: recipient, purpose, document, until, by, since,"
        " withdrawn_at) and legal bases (basis legal_basis: recipient, article, note, until, by,"
        " since) that allow sharing the file; a referral or match sharing it needs one in force",
    )
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
    erasure: dict[str, Any] | None = Field(
        None,
        description="Set once its personal data was erased (crypto-shredding): erased_at, by,"
        " reason (the legal reason) and reference; every personal field then reads [erased]",
    )


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


class Pairing(Model):
    """A pairing (结对帮扶): helper, household, and when each owed contact is due."""

    pairing_id: str
    household_id: str
    region_code: str
    kind: str
    helper_ref: str
    status: str
    started_at: datetime
    call_due_at: datetime | None
    visit_due_at: datetime | None
    deed_due_at: datetime | None
    next_due_at: datetime | None
    last_contact_at: datetime | None
    contacts: int
    ended_at: datetime | None
    end_reason: str | None
    overdue: bool = Field(description="A contact the pairing owes is past its due date")
    overdue_contacts: list[str] = Field(description="Which contacts are overdue: call, visit, deed")


class PairingPage(Page[Pairing]):
    """A page of the pairings list."""
