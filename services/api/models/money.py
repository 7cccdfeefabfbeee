"""Funds, money traces and contracts as the read API shows them (fen, and yuan as exact text)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from services.api.models.common import Model, Page
from services.api.models.outcomes import HouseholdServices, Outcome

Yuan = str  # an exact decimal string, e.g. "541500.00"


class Pool(Model):
    """Money available in one earmarked pool of a fund."""

    fund_id: str
    pool: str
    earmark: dict[str, Any] | None
    available_fen: int
    available_yuan: Yuan


class Donor(Model):
    """A donor of a fund and what they gave."""

    fund_id: str
    donor: str
    donor_kind: str | None
    donated_fen: int
    donated_yuan: Yuan
    refunded_fen: int
    refunded_yuan: Yuan
    donations: int


class Fund(Model):
    """A charity fund with its balances, earmarks and donors."""

    fund_id: str
    name: str
    region_code: str
    managed_by: str | None
    description: str | None
    received_fen: int
    received_yuan: Yuan
    refunded_fen: int
    refunded_yuan: Yuan
    reserved_fen: int
    reserved_yuan: Yuan
    disbursed_fen: int
    disbursed_yuan: Yuan
    free_fen: int
    free_yuan: Yuan
    earmarked_fen: int
    earmarked_yuan: Yuan
    available_fen: int = Field(description="Free and earmarked money not yet allocated")
    available_yuan: Yuan
    donations: int
    donors: int
    opened_at: datetime | None
    updated_at: datetime | None
    version: int | None
    earmarks: list[Pool]
    donors_list: list[Donor]


class FundPage(Page[Fund]):
    """A page of funds."""


class Donation(Model):
    """A donation into a fund."""

    donation_id: str
    fund_id: str
    donor: str
    donor_kind: str | None
    amount_fen: int
    amount_yuan: Yuan
    refunded_fen: int
    refunded_yuan: Yuan
    earmark: dict[str, Any] | None
    received_at: datetime | None


class Allocation(Model):
    """Money reserved for (and perhaps paid to) a household's need."""

    allocation_id: str
    fund_id: str
    household_id: str
    need_id: str
    region_code: str | None
    category: str | None
    earmark: dict[str, Any] | None
    amount_fen: int
    amount_yuan: Yuan
    draws: list[dict[str, Any]]
    status: str
    allocated_at: datetime | None
    disbursed_at: datetime | None
    reference: str | None


class FundLedger(Fund):
    """One fund with its donations and allocations."""

    donations_list: list[Donation] = Field(description="The donations, in the order received")
    allocations: list[Allocation]


class TracePath(Model):
    """One draw on one donation, to one household's need."""

    allocation_id: str
    donation_id: str
    pool: str
    draw: int
    fund_id: str
    donor: str
    donor_kind: str | None
    household_id: str
    need_id: str
    category: str | None
    region_code: str | None
    amount_fen: int
    amount_yuan: Yuan
    status: str
    allocated_at: datetime | None
    disbursed_at: datetime | None
    outcome: Outcome | None = Field(
        None, description="What became of the need: its referral's completion and follow-up"
    )


class ByDonor(Model):
    """Money summed per donor."""

    donor: str
    amount_fen: int
    amount_yuan: Yuan


class ByHousehold(Model):
    """Money summed per household."""

    household_id: str
    amount_fen: int
    amount_yuan: Yuan


class FundTrace(Model):
    """Where a fund's money went: donor → household."""

    fund_id: str
    paths: list[TracePath]
    by_household: list[ByHousehold]
    by_donor: list[ByDonor]


class HouseholdMoney(Model):
    """Every yuan allocated or paid to a household, back to its donors."""

    household_id: str
    paths: list[TracePath]
    by_donor: list[ByDonor]
    disbursed_fen: int
    disbursed_yuan: Yuan
    services: HouseholdServices | None = Field(
        None, description="Deliveries, reservations and referrals' ends: money to outcome"
    )


class Contract(Model):
    """A purchased-service contract with budget spent and person-times delivered."""

    contract_id: str
    provider_id: str
    title: str
    region_code: str
    budget_fen: int
    budget_yuan: Yuan
    spent_fen: int
    spent_yuan: Yuan
    person_times: int
    funding_source: str | None
    signed_at: datetime | None


class ContractPage(Page[Contract]):
    """A page of contracts."""


class ContractItem(Model):
    """One item of a contract's packaged budget and what is left of it."""

    contract_id: str
    item_id: str
    name: str
    need_type: str | None
    category: str | None
    offering_id: str | None
    budget_fen: int
    budget_yuan: Yuan
    spent_fen: int
    spent_yuan: Yuan
    remaining_fen: int
    remaining_yuan: Yuan
    capacity: int | None
    used: int
    remaining_person_times: int | None
    deliveries: int


class ContractDetail(Contract):
    """A contract with its items."""

    items: list[ContractItem]
