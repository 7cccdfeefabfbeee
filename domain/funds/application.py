"""Commands on charity funds: donations, earmarks, allocations, disbursements, refunds."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from domain.funds.earmark import Earmark
from domain.funds.model import Fund
from domain.households.labels import household_labels as labels_of
from domain.households.model import Household
from domain.ingest.model import EventKey, Outcome
from domain.needs.model import Need, NeedStatus
from domain.reservations.keeper import ReservationKeeper
from domain.reservations.model import Cause, Kind
from domain.shared.acting import Acting, require_one_of
from domain.shared.errors import InvalidValue, RuleViolation
from domain.shared.money import check_fen, show
from domain.shared.names import required
from domain.shared.regions import check_region


def _required_name(value: str, field: str) -> str:
    return required(value, field, "is required")


class DonorKind(StrEnum):
    """Who gave the money."""

    COMPANY = "company"  # 爱心企业
    INDIVIDUAL = "individual"
    FUND = "fund"  # another fund or foundation
    ORGANISATION = "organisation"


def household_labels(household: Household) -> set[str]:
    """The groups an earmark may name: the assessed group and every member's circumstances."""
    return set(labels_of(household.members, household.group))


def require_keeper(acting: Acting | None, fund: Fund, action: str) -> None:
    """Money moves only by the fund's owner or a coordinator whose region covers the fund."""
    require_one_of(
        acting,
        action=action,
        record=f"fund {fund.id}",
        # A fund snapshotted before its owner was kept names none: only coordinators then.
        parties=(getattr(fund, "managed_by", ""),),
        region_code=fund.region_code,
    )


class FundCommands(ReservationKeeper):
    """Keeping the money side of the resource list (资源清单), yuan by yuan."""

    def open_fund(
        self,
        *,
        name: str,
        region_code: str,
        managed_by: str,
        description: str,
        at: datetime,
        key: EventKey | None = None,
    ) -> Outcome:
        """Open a charity fund of an alliance."""
        if done := self._already_done(key):
            return done
        fund = Fund(
            id=key.derived_id("fund") if key else uuid4(),
            name=_required_name(name, "name"),
            region_code=check_region(region_code),
            managed_by=_required_name(managed_by, "managed_by"),
            description=description.strip(),
            opened_at=at,
        )
        return self._commit("fund", fund, key=key)

    def receive_donation(
        self,
        *,
        fund_id: UUID,
        donor: str,
        donor_kind: DonorKind,
        amount_fen: int,
        earmark: Earmark | None,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Record money received into a fund."""
        return self._change(
            Fund,
            fund_id,
            lambda fund: fund.receive(
                donation_id=key.derived_id("donation") if key else uuid4(),
                donor=_required_name(donor, "donor"),
                donor_kind=donor_kind.value,
                amount_fen=check_fen(amount_fen, "amount"),
                earmark=earmark,
                by=_required_name(by, "recorded_by"),
                at=at,
            ),
            key=key,
            expected_version=expected_version,
        )

    def earmark_money(
        self,
        *,
        fund_id: UUID,
        earmark: Earmark,
        amount_fen: int,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
        acting: Acting | None = None,
    ) -> Outcome:
        """Set free money aside for a group, category or region (the fund's owner or a
        coordinator of its region)."""

        def set_aside(fund: Fund) -> None:
            require_keeper(acting, fund, "earmark money of")
            fund.set_aside(
                earmark=earmark,
                amount_fen=check_fen(amount_fen, "amount"),
                by=_required_name(by, "by"),
                at=at,
            )

        return self._change(
            Fund,
            fund_id,
            set_aside,
            key=key,
            expected_version=expected_version,
        )

    def _allocate(
        self,
        fund: Fund,
        *,
        allocation_id: UUID,
        need_id: UUID,
        amount_fen: int,
        earmark: Earmark | None,
        by: str,
        at: datetime,
    ) -> None:
        need = self._load(Need, need_id)
        if need.status is NeedStatus.CLOSED:
            raise RuleViolation(f"need {need_id} is {need.status.value}; no money can go to it")
        household = self._load(Household, need.household_id)
        fund.allocate(
            allocation_id=allocation_id,
            household_id=household.id,
            need_id=need.id,
            region_code=household.region_code,
            category=need.category,
            labels=household_labels(household),
            earmark=earmark,
            amount_fen=check_fen(amount_fen, "amount"),
            by=_required_name(by, "by"),
            at=at,
        )

    def allocate_money(
        self,
        *,
        fund_id: UUID,
        need_id: UUID,
        amount_fen: int,
        earmark: Earmark | None,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
        acting: Acting | None = None,
    ) -> Outcome:
        """Commit money to a household's need; it is reserved until paid or cancelled."""

        def allocate(fund: Fund) -> None:
            require_keeper(acting, fund, "allocate money of")
            self._allocate(
                fund,
                allocation_id=key.derived_id("allocation") if key else uuid4(),
                need_id=need_id,
                amount_fen=amount_fen,
                earmark=earmark,
                by=by,
                at=at,
            )

        return self._change(
            Fund,
            fund_id,
            allocate,
            key=key,
            expected_version=expected_version,
        )

    def disburse_money(
        self,
        *,
        fund_id: UUID,
        reference: str,
        by: str,
        at: datetime,
        allocation_id: UUID | None = None,
        need_id: UUID | None = None,
        amount_fen: int | None = None,
        earmark: Earmark | None = None,
        expected_version: int | None = None,
        key: EventKey | None = None,
        acting: Acting | None = None,
    ) -> Outcome:
        """Pay an allocation, or allocate and pay a need at once (one commit)."""
        if done := self._already_done(key):
            return done
        fund = self._load(Fund, fund_id, expected_version)
        require_keeper(acting, fund, "disburse money of")
        if allocation_id is None:
            if need_id is None or amount_fen is None:
                raise InvalidValue("allocation_id", "name an allocation, or a need and an amount")
            allocation_id = self._reserved_for(fund, need_id, amount_fen)
        if allocation_id is None:
            assert need_id is not None and amount_fen is not None
            allocation_id = key.derived_id("allocation") if key else uuid4()
            self._allocate(
                fund,
                allocation_id=allocation_id,
                need_id=need_id,
                amount_fen=amount_fen,
                earmark=earmark,
                by=by,
                at=at,
            )
        fund.disburse(
            allocation_id=allocation_id, reference=reference, by=_required_name(by, "by"), at=at
        )
        # A match's money reservation ends here, used by this disbursement.
        held = self._open_reservation(allocation_id)
        if held is not None:
            held.use(used_by="disbursement", reference=str(allocation_id), by=by, at=at)
        return self._commit("fund", fund, *([held] if held else []), key=key)

    def _reserved_for(self, fund: Fund, need_id: UUID, amount_fen: int) -> UUID | None:
        """The allocation a match reserved from this fund for the need, if it still holds one.

        Paying a need that a match reserved money for pays that reservation, never a second
        allocation beside it; a different amount is refused, naming the reserved one.
        """
        need = self._load(Need, need_id)
        held = self._open_reservation(need.referral_id)
        if held is None or held.kind is not Kind.MONEY or held.resource_id != fund.id:
            return None
        if amount_fen != held.amount_fen:
            raise RuleViolation(
                f"need {need_id} has {show(held.amount_fen)} reserved from {fund.name!r} by"
                f" referral {held.referral_id}; pay that amount, or release the reservation first"
            )
        return held.referral_id

    def cancel_allocation(
        self,
        *,
        fund_id: UUID,
        allocation_id: UUID,
        reason: str,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
        acting: Acting | None = None,
    ) -> Outcome:
        """Release money reserved for a need that will not be paid."""
        if done := self._already_done(key):
            return done
        fund = self._load(Fund, fund_id, expected_version)
        require_keeper(acting, fund, "cancel an allocation of")
        fund.cancel(
            allocation_id=allocation_id,
            reason=_required_name(reason, "reason"),
            by=_required_name(by, "by"),
            at=at,
        )
        # A match's reservation ends with its allocation, in the same commit.
        held = self._open_reservation(allocation_id)
        if held is not None:
            held.release(cause=Cause.ALLOCATION_CANCELLED, reason=reason, by=by, at=at)
        return self._commit("fund", fund, *([held] if held else []), key=key)

    def refund_donation(
        self,
        *,
        fund_id: UUID,
        donation_id: UUID,
        amount_fen: int,
        reason: str,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
        acting: Acting | None = None,
    ) -> Outcome:
        """Return unspent money of a donation to its donor (the fund's owner or a coordinator)."""

        def refund(fund: Fund) -> None:
            require_keeper(acting, fund, "refund money of")
            fund.refund(
                donation_id=donation_id,
                amount_fen=check_fen(amount_fen, "amount"),
                reason=_required_name(reason, "reason"),
                by=_required_name(by, "by"),
                at=at,
            )

        return self._change(
            Fund,
            fund_id,
            refund,
            key=key,
            expected_version=expected_version,
        )
