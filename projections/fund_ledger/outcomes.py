"""What became of the help: reservations, deliveries and referrals' ends, joined to the money.

Donor → fund → allocation (fund_ledger's trace) → disbursement or delivery → referral
completion → follow-up: this view keeps the second half of that chain, keyed by need, referral
and household, so the trace, a household's money and services, and the outcome statistics read
one ledger.
"""

from __future__ import annotations

from typing import Any

from domain.contracts.model import Contract
from domain.referrals.model import Referral
from domain.reservations.model import Reservation
from projections.runtime.tables import Table, cols
from projections.runtime.view import Handler, Tx, View

RESERVATIONS = Table(
    "outcome_reservations",
    cols(
        "reservation_id referral_id need_id household_id region_code kind resource_id"
        " provider_id holder period units:int amount_fen:int state cause reason made_by"
        " made_at:ts expires_at:ts ended_at:ts ended_by used_by reference"
    ),
    key=("reservation_id",),
    indexes=(("state", "expires_at"), ("household_id",), ("resource_id",), ("referral_id",)),
)
REFERRALS = Table(
    "outcome_referrals",
    cols(
        "referral_id need_id household_id region_code holder status requested_at:ts"
        " completed_at:ts outcome followed_up_at:ts satisfied:bool follow_up_note"
    ),
    key=("referral_id",),
    indexes=(("need_id",), ("household_id",)),
)
CONTRACTS = Table("outcome_contracts", cols("contract_id provider_id title"), key=("contract_id",))
DELIVERIES = Table(
    "outcome_deliveries",
    cols(
        "delivery_id contract_id provider_id item_id offering_id household_id region_code"
        " person_times:int cost_fen:int delivered_at:ts recorded_by referral_id"
    ),
    key=("delivery_id",),
    indexes=(("household_id",), ("provider_id",), ("referral_id",)),
)


class OutcomeLedger(View):
    """Reservations with their ends, deliveries with their provider, referrals with their ends."""

    name = "outcome_ledger"
    tables = (RESERVATIONS, REFERRALS, CONTRACTS, DELIVERIES)

    def handlers(self) -> dict[type, Handler]:
        """Reservations, contracts' deliveries, referrals' request, ends and follow-up."""
        return {
            Reservation.Made: self._made,
            Reservation.Used: self._ended,
            Reservation.Released: self._ended,
            Reservation.Expired: self._ended,
            Contract.Signed: self._signed,
            Contract.DeliveryRecorded: self._delivered,
            Referral.Requested: self._requested,
            Referral.Reassigned: self._referral_step,
            Referral.Refused: self._referral_step,
            Referral.Completed: self._referral_step,
            Referral.FollowedUp: self._referral_step,
        }

    @staticmethod
    def _made(e: Any, tx: Tx, _: int) -> None:
        tx.upsert(
            "outcome_reservations",
            {
                "reservation_id": str(e.originator_id),
                "referral_id": str(e.referral_id),
                "need_id": str(e.need_id),
                "household_id": str(e.household_id),
                "region_code": e.region_code,
                "kind": e.kind,
                "resource_id": str(e.resource_id),
                "provider_id": str(e.provider_id) if e.provider_id else None,
                "holder": e.holder,
                "period": e.period,
                "units": e.units,
                "amount_fen": e.amount_fen,
                "state": "open",
                "cause": None,
                "reason": None,
                "made_by": e.made_by,
                "made_at": e.made_at,
                "expires_at": e.expires_at,
                "ended_at": None,
                "ended_by": None,
                "used_by": None,
                "reference": None,
            },
        )

    @staticmethod
    def _ended(e: Any, tx: Tx, _: int) -> None:
        key = {"reservation_id": str(e.originator_id)}
        if isinstance(e, Reservation.Used):
            tx.update(
                "outcome_reservations",
                key,
                state="used",
                ended_at=e.used_at,
                ended_by=e.by,
                used_by=e.used_by,
                reference=e.reference,
            )
            row = tx.get("outcome_reservations", **key)
            if e.used_by == "delivery" and row is not None:
                delivery = {"delivery_id": e.reference}
                if tx.get("outcome_deliveries", **delivery) is not None:
                    tx.update("outcome_deliveries", delivery, referral_id=row["referral_id"])
        elif isinstance(e, Reservation.Released):
            tx.update(
                "outcome_reservations",
                key,
                state="released",
                cause=e.cause,
                reason=e.reason,
                ended_at=e.released_at,
                ended_by=e.by,
            )
        else:
            tx.update(
                "outcome_reservations",
                key,
                state="expired",
                reason=e.reason,
                ended_at=e.expired_at,
                ended_by="clock",
            )

    @staticmethod
    def _signed(e: Any, tx: Tx, _: int) -> None:
        tx.upsert(
            "outcome_contracts",
            {
                "contract_id": str(e.originator_id),
                "provider_id": str(e.provider_id),
                "title": e.title,
            },
        )

    @staticmethod
    def _delivered(e: Any, tx: Tx, _: int) -> None:
        contract = tx.get("outcome_contracts", contract_id=str(e.originator_id))
        tx.upsert(
            "outcome_deliveries",
            {
                "delivery_id": str(e.delivery_id),
                "contract_id": str(e.originator_id),
                "provider_id": contract["provider_id"] if contract else None,
                "item_id": e.item_id,
                "offering_id": str(e.offering_id) if e.offering_id else None,
                "household_id": str(e.household_id),
                "region_code": e.region_code,
                "person_times": e.person_times,
                "cost_fen": e.cost_fen,
                "delivered_at": e.delivered_at,
                "recorded_by": e.recorded_by,
                "referral_id": None,
            },
        )

    @staticmethod
    def _requested(e: Any, tx: Tx, _: int) -> None:
        tx.upsert(
            "outcome_referrals",
            {
                "referral_id": str(e.originator_id),
                "need_id": str(e.need_id),
                "household_id": str(e.household_id),
                "region_code": e.region_code,
                "holder": e.to_department,
                "status": "requested",
                "requested_at": e.requested_at,
                "completed_at": None,
                "outcome": None,
                "followed_up_at": None,
                "satisfied": None,
                "follow_up_note": None,
            },
        )

    @staticmethod
    def _referral_step(e: Any, tx: Tx, _: int) -> None:
        key = {"referral_id": str(e.originator_id)}
        if tx.get("outcome_referrals", **key) is None:
            return
        if isinstance(e, Referral.Reassigned):
            tx.update("outcome_referrals", key, holder=e.to_department, status="requested")
        elif isinstance(e, Referral.Refused):
            tx.update("outcome_referrals", key, status="refused")
        elif isinstance(e, Referral.Completed):
            tx.update(
                "outcome_referrals",
                key,
                status="completed",
                completed_at=e.completed_at,
                outcome=e.outcome,
            )
        else:
            tx.update(
                "outcome_referrals",
                key,
                status="followed_up",
                followed_up_at=e.followed_up_at,
                satisfied=e.satisfied,
                follow_up_note=e.note,
            )
