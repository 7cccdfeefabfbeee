"""Reservations, deliveries and what became of the help, as the read API shows them."""

from __future__ import annotations

from datetime import datetime

from services.api.models.common import Model, Page

Yuan = str  # an exact decimal string, e.g. "2500.00"


class Outcome(Model):
    """What became of a need: the referral that completed it (else the latest), its follow-up."""

    referral_id: str
    holder: str | None
    status: str
    completed_at: datetime | None
    outcome: str | None
    followed_up_at: datetime | None
    satisfied: bool | None
    follow_up_note: str | None


class Reservation(Model):
    """Capacity or money a match held for a referral, and how it ended."""

    reservation_id: str
    referral_id: str
    need_id: str
    household_id: str
    region_code: str
    kind: str
    resource_id: str
    provider_id: str | None
    holder: str | None
    period: str | None
    units: int
    amount_fen: int
    amount_yuan: Yuan
    state: str
    cause: str | None
    reason: str | None
    made_by: str
    made_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    ended_by: str | None
    used_by: str | None
    reference: str | None


class ReservationPage(Page[Reservation]):
    """A page of reservations."""


class Delivery(Model):
    """A service delivered to a household under a contract."""

    delivery_id: str
    contract_id: str
    provider_id: str | None
    item_id: str
    offering_id: str | None
    household_id: str
    person_times: int
    cost_fen: int
    cost_yuan: Yuan
    delivered_at: datetime
    recorded_by: str
    referral_id: str | None


class ReferralEnd(Model):
    """A referral of the household and its outcome."""

    referral_id: str
    need_id: str
    holder: str | None
    status: str
    requested_at: datetime | None
    outcome: Outcome | None


class HouseholdServices(Model):
    """A household's deliveries, reservations and referrals' ends."""

    deliveries: list[Delivery]
    reservations: list[Reservation]
    referrals: list[ReferralEnd]


class FundOutcome(Model):
    """One fund's reach and what became of it."""

    fund_id: str
    name: str
    households: int
    needs: int
    reserved_fen: int
    reserved_yuan: Yuan
    disbursed_fen: int
    disbursed_yuan: Yuan
    completed: int
    followed_up: int
    satisfied: int
    unsatisfied: int


class ProviderOutcome(Model):
    """One provider's deliveries and its matched referrals' ends."""

    provider_id: str
    deliveries: int
    person_times: int
    cost_fen: int
    cost_yuan: Yuan
    households: int
    matched_referrals: int
    completed: int
    followed_up: int
    satisfied: int
    unsatisfied: int


class Outcomes(Model):
    """Outcomes per fund or per provider."""

    by: str
    funds: list[FundOutcome] | None = None
    providers: list[ProviderOutcome] | None = None
