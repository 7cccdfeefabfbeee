"""A charity fund (慈善基金) as a ledger: every balance is the sum of its events."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.funds.earmark import FREE, Earmark, key_of
from domain.funds.ledger import (
    Draw,
    apply_draws,
    check_allocation,
    draw_fifo,
    free_draws,
    open_allocation,
    pool_total,
    refund_draws,
)
from domain.shared.errors import RuleViolation


class Fund(Aggregate):
    """Donations in, earmarks set aside, allocations to households' needs, disbursements out."""

    class Opened(Aggregate.Created):
        name: str
        region_code: str
        managed_by: str
        description: str
        opened_at: datetime

    class DonationReceived(Aggregate.Event):
        donation_id: UUID
        donor: str
        donor_kind: str
        amount_fen: int
        earmark: dict[str, Any] | None
        recorded_by: str
        received_at: datetime

    class Earmarked(Aggregate.Event):
        earmark: dict[str, Any]
        amount_fen: int
        draws: list[Draw]
        by: str
        earmarked_at: datetime

    class Allocated(Aggregate.Event):
        allocation_id: UUID
        household_id: UUID
        need_id: UUID
        region_code: str
        category: str
        earmark: dict[str, Any] | None
        amount_fen: int
        draws: list[Draw]
        by: str
        allocated_at: datetime

    class AllocationCancelled(Aggregate.Event):
        allocation_id: UUID
        reason: str
        by: str
        cancelled_at: datetime

    class Disbursed(Aggregate.Event):
        allocation_id: UUID
        household_id: UUID
        need_id: UUID
        amount_fen: int
        reference: str
        by: str
        disbursed_at: datetime

    class DonationRefunded(Aggregate.Event):
        donation_id: UUID
        amount_fen: int
        draws: list[Draw]
        reason: str
        by: str
        refunded_at: datetime

    @event(Opened)
    def __init__(
        self,
        *,
        id: UUID,
        name: str,
        region_code: str,
        managed_by: str,
        description: str,
        opened_at: datetime,
    ) -> None:
        self.name = name
        self.region_code = region_code
        self.managed_by = managed_by
        # pool key → donation id → fen still available; insertion order is FIFO order.
        self.pools: dict[str, dict[str, int]] = {FREE: {}}
        self.donations: dict[str, dict[str, Any]] = {}
        self.allocations: dict[str, dict[str, Any]] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> Fund:
        # A command works on a copy of the cached fund. The ledger's entries are never changed
        # in place (an allocation's status change replaces its entry), so copying the maps is
        # enough: a C-speed copy per map instead of a Python-level walk of every entry, which
        # keeps a command's cost flat however many donations the fund has taken.
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.pools = {key: dict(pool) for key, pool in self.pools.items()}
        copy.donations = dict(self.donations)
        copy.allocations = dict(self.allocations)
        copy.__dict__["_pending_events"] = list(self.__dict__["_pending_events"])
        memo[id(self)] = copy
        return copy

    # --- reading the ledger -------------------------------------------------------------

    def available(self, earmark: Earmark | None = None) -> int:
        """Fen available in one pool (free money when no earmark is named)."""
        return pool_total(self.pools, key_of(earmark))

    def available_total(self) -> int:
        """Fen available in every pool together."""
        return sum(sum(pool.values()) for pool in self.pools.values())

    def unspent(self, donation_id: UUID) -> int:
        """Fen of one donation not yet allocated, disbursed or refunded."""
        return sum(pool.get(str(donation_id), 0) for pool in self.pools.values())

    # --- commands -----------------------------------------------------------------------

    def receive(
        self,
        *,
        donation_id: UUID,
        donor: str,
        donor_kind: str,
        amount_fen: int,
        earmark: Earmark | None,
        by: str,
        at: datetime,
    ) -> None:
        """Take a donation into the fund, earmarked by the donor or free."""
        if str(donation_id) in self.donations:
            raise RuleViolation(f"donation {donation_id} is already in fund {self.name!r}")
        self._receive(
            donation_id=donation_id,
            donor=donor,
            donor_kind=donor_kind,
            amount_fen=amount_fen,
            earmark=earmark.as_record() if earmark else None,
            recorded_by=by,
            received_at=at,
        )

    @event(DonationReceived)
    def _receive(
        self,
        donation_id: UUID,
        donor: str,
        donor_kind: str,
        amount_fen: int,
        earmark: dict[str, Any] | None,
        recorded_by: str,
        received_at: datetime,
    ) -> None:
        self.donations[str(donation_id)] = {"donor": donor, "amount_fen": amount_fen}
        pool = self.pools.setdefault(key_of(Earmark.from_record(earmark)), {})
        pool[str(donation_id)] = amount_fen

    def set_aside(self, *, earmark: Earmark, amount_fen: int, by: str, at: datetime) -> None:
        """Earmark free money, oldest donations first."""
        self._earmark(
            earmark=earmark.as_record(),
            amount_fen=amount_fen,
            draws=free_draws(self.pools, earmark, amount_fen, self.name),
            by=by,
            earmarked_at=at,
        )

    @event(Earmarked)
    def _earmark(
        self,
        earmark: dict[str, Any],
        amount_fen: int,
        draws: list[Draw],
        by: str,
        earmarked_at: datetime,
    ) -> None:
        apply_draws(self.pools, draws, -1)
        target = key_of(Earmark.from_record(earmark))
        apply_draws(self.pools, [{**d, "pool": target} for d in draws], +1)

    def allocate(
        self,
        *,
        allocation_id: UUID,
        household_id: UUID,
        need_id: UUID,
        region_code: str,
        category: str,
        labels: set[str],
        earmark: Earmark | None,
        amount_fen: int,
        by: str,
        at: datetime,
    ) -> None:
        """Commit money to a household's need, from one pool, oldest donations first."""
        if str(allocation_id) in self.allocations:
            raise RuleViolation(f"allocation {allocation_id} already exists in {self.name!r}")
        check_allocation(
            fund=self.name,
            earmark=earmark,
            labels=labels,
            category=category,
            region_code=region_code,
            available=self.available(earmark),
            amount_fen=amount_fen,
        )
        self._allocate(
            allocation_id=allocation_id,
            household_id=household_id,
            need_id=need_id,
            region_code=region_code,
            category=category,
            earmark=earmark.as_record() if earmark else None,
            amount_fen=amount_fen,
            draws=draw_fifo(self.pools, key_of(earmark), amount_fen),
            by=by,
            allocated_at=at,
        )

    @event(Allocated)
    def _allocate(
        self,
        allocation_id: UUID,
        household_id: UUID,
        need_id: UUID,
        region_code: str,
        category: str,
        earmark: dict[str, Any] | None,
        amount_fen: int,
        draws: list[Draw],
        by: str,
        allocated_at: datetime,
    ) -> None:
        apply_draws(self.pools, draws, -1)
        self.allocations[str(allocation_id)] = {
            "household_id": str(household_id),
            "need_id": str(need_id),
            "amount_fen": amount_fen,
            "draws": draws,
            "status": "allocated",
        }

    def cancel(self, *, allocation_id: UUID, reason: str, by: str, at: datetime) -> None:
        """Release an allocation not yet paid; its money returns to the pools it came from."""
        open_allocation(self.allocations, allocation_id, "cancelled", self.name)
        self._cancel(allocation_id=allocation_id, reason=reason, by=by, cancelled_at=at)

    @event(AllocationCancelled)
    def _cancel(self, allocation_id: UUID, reason: str, by: str, cancelled_at: datetime) -> None:
        allocation = self.allocations[str(allocation_id)]
        apply_draws(self.pools, allocation["draws"], +1)
        self.allocations[str(allocation_id)] = {**allocation, "status": "cancelled"}

    def disburse(self, *, allocation_id: UUID, reference: str, by: str, at: datetime) -> None:
        """Pay an allocation out to the household."""
        allocation = open_allocation(self.allocations, allocation_id, "disbursed", self.name)
        self._disburse(
            allocation_id=allocation_id,
            household_id=UUID(allocation["household_id"]),
            need_id=UUID(allocation["need_id"]),
            amount_fen=allocation["amount_fen"],
            reference=reference,
            by=by,
            disbursed_at=at,
        )

    @event(Disbursed)
    def _disburse(
        self,
        allocation_id: UUID,
        household_id: UUID,
        need_id: UUID,
        amount_fen: int,
        reference: str,
        by: str,
        disbursed_at: datetime,
    ) -> None:
        allocation = self.allocations[str(allocation_id)]
        self.allocations[str(allocation_id)] = {**allocation, "status": "disbursed"}

    def refund(
        self, *, donation_id: UUID, amount_fen: int, reason: str, by: str, at: datetime
    ) -> None:
        """Return unspent money of a donation to its donor."""
        draws = refund_draws(self.pools, self.donations, str(donation_id), amount_fen, self.name)
        self._refund(
            donation_id=donation_id,
            amount_fen=amount_fen,
            draws=draws,
            reason=reason,
            by=by,
            refunded_at=at,
        )

    @event(DonationRefunded)
    def _refund(
        self,
        donation_id: UUID,
        amount_fen: int,
        draws: list[Draw],
        reason: str,
        by: str,
        refunded_at: datetime,
    ) -> None:
        apply_draws(self.pools, draws, -1)
