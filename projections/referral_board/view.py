"""The referral board: every referral, who holds it, and when its feedback is due."""

from __future__ import annotations

from typing import Any

from domain.needs.model import Need
from domain.referrals.model import AWAITING_FEEDBACK, Referral, ReferralStatus
from projections.runtime.tables import Table, cols
from projections.runtime.view import Handler, Tx, View

REFERRALS = Table(
    "referral_board",
    cols(
        "referral_id need_id household_id region_code category urgency from_department holder"
        " status awaiting_feedback:bool requested_at:ts accepted_at:ts feedback_due_at:ts"
        " first_feedback_at:ts completed_at:ts followed_up_at:ts last_note updated_at:ts"
        " version:int acceptance_due_at:ts next_due_at:ts accepted_late:bool feedback_late:bool"
        " breaches:int last_breach_due_at:ts escalated_to"
    ),
    key=("referral_id",),
    indexes=(
        ("status", "feedback_due_at"),
        ("region_code",),
        ("holder",),
        ("next_due_at",),
        ("escalated_to",),
    ),
)
# The category and urgency of each need, copied onto the referrals that hold it.
NEED_FACTS = Table("referral_board_needs", cols("need_id category urgency"), key=("need_id",))


class ReferralBoard(View):
    """One row per referral, kept current through every step of the loop."""

    name = "referral_board"
    tables = (REFERRALS, NEED_FACTS)

    def handlers(self) -> dict[type, Handler]:
        """The referral loop's events, and needs for their category."""
        return {
            Need.Raised: self._need_raised,
            Referral.Requested: self._requested,
            Referral.Accepted: self._step(
                ReferralStatus.ACCEPTED,
                accepted_at="accepted_at",
                feedback_due_at="feedback_due_at",
                next_due_at="feedback_due_at",
                accepted_late="late",
            ),
            Referral.Routed: self._step(ReferralStatus.ROUTED, last_note="to_unit"),
            Referral.FeedbackGiven: self._feedback,
            Referral.Completed: self._step(
                ReferralStatus.COMPLETED, completed_at="completed_at", last_note="outcome"
            ),
            Referral.FollowedUp: self._step(
                ReferralStatus.FOLLOWED_UP, followed_up_at="followed_up_at", last_note="note"
            ),
            Referral.Refused: self._step(ReferralStatus.REFUSED, last_note="reason"),
            Referral.Reassigned: self._reassigned,
            Referral.DeadlineBreached: self._breached,
            Referral.Escalated: self._escalated,
        }

    @staticmethod
    def _need_raised(e: Any, tx: Tx, _: int) -> None:
        tx.upsert(
            "referral_board_needs",
            {"need_id": str(e.originator_id), "category": e.category, "urgency": e.urgency},
        )

    @staticmethod
    def _requested(e: Any, tx: Tx, _: int) -> None:
        need = tx.get("referral_board_needs", need_id=str(e.need_id)) or {}
        tx.upsert(
            "referral_board",
            {
                "referral_id": str(e.originator_id),
                "need_id": str(e.need_id),
                "household_id": str(e.household_id),
                "region_code": e.region_code,
                "category": need.get("category"),
                "urgency": need.get("urgency"),
                "from_department": e.from_department,
                "holder": e.to_department,
                "status": ReferralStatus.REQUESTED.value,
                "awaiting_feedback": False,
                "requested_at": e.requested_at,
                "acceptance_due_at": e.acceptance_due_at,
                "next_due_at": e.acceptance_due_at,
                "accepted_late": False,
                "feedback_late": False,
                "breaches": 0,
                "escalated_to": e.region_code,
                "last_note": e.note,
                "updated_at": e.timestamp,
                "version": e.originator_version,
            },
        )

    @staticmethod
    def _step(status: ReferralStatus, **columns_from: str) -> Handler:
        def handle(e: Any, tx: Tx, _: int) -> None:
            owes = status is ReferralStatus.ACCEPTED or status is ReferralStatus.ROUTED
            due = {} if owes else {"next_due_at": None}
            tx.update(
                "referral_board",
                {"referral_id": str(e.originator_id)},
                status=status.value,
                awaiting_feedback=status in AWAITING_FEEDBACK,
                **due,
                updated_at=e.timestamp,
                version=e.originator_version,
                **{column: getattr(e, attr) for column, attr in columns_from.items()},
            )

        return handle

    @staticmethod
    def _feedback(e: Any, tx: Tx, _: int) -> None:
        key = {"referral_id": str(e.originator_id)}
        row = tx.get("referral_board", **key) or {}
        first = row.get("first_feedback_at") or e.given_at
        tx.update(
            "referral_board",
            key,
            status=ReferralStatus.FEEDBACK_GIVEN.value,
            awaiting_feedback=False,
            next_due_at=None,
            feedback_late=bool(row.get("feedback_late")) or e.late,
            first_feedback_at=first,
            last_note=e.content,
            updated_at=e.timestamp,
            version=e.originator_version,
        )

    @staticmethod
    def _reassigned(e: Any, tx: Tx, _: int) -> None:
        tx.update(
            "referral_board",
            {"referral_id": str(e.originator_id)},
            status=ReferralStatus.REQUESTED.value,
            holder=e.to_department,
            awaiting_feedback=False,
            accepted_at=None,
            feedback_due_at=None,
            acceptance_due_at=e.acceptance_due_at,
            next_due_at=e.acceptance_due_at,
            last_note=e.reason,
            updated_at=e.timestamp,
            version=e.originator_version,
        )

    @staticmethod
    def _breached(e: Any, tx: Tx, _: int) -> None:
        key = {"referral_id": str(e.originator_id)}
        row = tx.get("referral_board", **key) or {}
        tx.update(
            "referral_board",
            key,
            breaches=(row.get("breaches") or 0) + 1,
            last_breach_due_at=e.due_at,
            updated_at=e.timestamp,
            version=e.originator_version,
        )

    @staticmethod
    def _escalated(e: Any, tx: Tx, _: int) -> None:
        tx.update(
            "referral_board",
            {"referral_id": str(e.originator_id)},
            escalated_to=e.to_region,
            updated_at=e.timestamp,
            version=e.originator_version,
        )
