"""A referral (转介): the closed loop accept → route → feedback → complete → follow-up."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared.errors import InvalidValue, RuleViolation

FEEDBACK_WINDOW = timedelta(hours=24)


def actor_was_by(state: dict[str, Any]) -> None:
    """Upcast a v1 step event: the acting department was stored as `by`, now `actor`."""
    state["actor"] = state.pop("by")


class ReferralStatus(StrEnum):
    """Where a referral stands in its loop."""

    REQUESTED = "requested"
    ACCEPTED = "accepted"
    ROUTED = "routed"
    FEEDBACK_GIVEN = "feedback_given"
    COMPLETED = "completed"
    FOLLOWED_UP = "followed_up"
    REFUSED = "refused"


OPEN_STATUSES = frozenset(
    {
        ReferralStatus.REQUESTED,
        ReferralStatus.ACCEPTED,
        ReferralStatus.ROUTED,
        ReferralStatus.FEEDBACK_GIVEN,
    }
)
AWAITING_FEEDBACK = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.ROUTED})


class Referral(Aggregate):
    """A need handed from one department to another, held by one department at a time."""

    class Requested(Aggregate.Created):
        need_id: UUID
        household_id: UUID
        region_code: str
        from_department: str
        to_department: str
        requested_at: datetime
        note: str

    class Accepted(Aggregate.Event):
        class_version = 2
        actor: str  # v1 called it `by`
        accepted_at: datetime
        feedback_due_at: datetime

        upcast_v1_v2 = staticmethod(actor_was_by)

    class Routed(Aggregate.Event):
        class_version = 2
        actor: str  # v1 called it `by`
        to_unit: str
        routed_at: datetime
        note: str

        upcast_v1_v2 = staticmethod(actor_was_by)

    class FeedbackGiven(Aggregate.Event):
        class_version = 2
        actor: str  # v1 called it `by`
        given_at: datetime
        content: str

        upcast_v1_v2 = staticmethod(actor_was_by)

    class Completed(Aggregate.Event):
        class_version = 2
        actor: str  # v1 called it `by`
        completed_at: datetime
        outcome: str

        upcast_v1_v2 = staticmethod(actor_was_by)

    class FollowedUp(Aggregate.Event):
        class_version = 2
        actor: str  # v1 called it `by`
        followed_up_at: datetime
        satisfied: bool
        note: str

        upcast_v1_v2 = staticmethod(actor_was_by)

    class Refused(Aggregate.Event):
        class_version = 2
        actor: str  # v1 called it `by`
        refused_at: datetime
        reason: str

        upcast_v1_v2 = staticmethod(actor_was_by)

    class Reassigned(Aggregate.Event):
        class_version = 2
        actor: str  # v1 called it `by`
        from_department: str
        to_department: str
        reassigned_at: datetime
        reason: str

        upcast_v1_v2 = staticmethod(actor_was_by)

    @event(Requested)
    def __init__(
        self,
        *,
        id: UUID,
        need_id: UUID,
        household_id: UUID,
        region_code: str,
        from_department: str,
        to_department: str,
        requested_at: datetime,
        note: str,
    ) -> None:
        self.need_id = need_id
        self.household_id = household_id
        self.region_code = region_code
        self.holder = to_department
        self.status = ReferralStatus.REQUESTED
        self.feedback_due_at: datetime | None = None
        self.first_feedback_at: datetime | None = None

    def is_overdue(self, now: datetime) -> bool:
        """Accepted, no feedback yet, and the 24-hour feedback window has passed."""
        return (
            self.status in AWAITING_FEEDBACK
            and self.feedback_due_at is not None
            and now > self.feedback_due_at
        )

    def _require(self, allowed: set[ReferralStatus], action: str) -> None:
        if self.status not in allowed:
            names = ", ".join(sorted(s.value for s in allowed))
            raise RuleViolation(
                f"referral {self.id} is {self.status.value}; {action} needs it to be {names}"
            )

    def _require_holder(self, by: str, action: str) -> None:
        if by != self.holder:
            raise RuleViolation(
                f"referral {self.id} is held by {self.holder!r}; {by!r} cannot {action} it"
            )

    def accept(self, *, by: str, at: datetime) -> None:
        """The holding department accepts (受理); feedback becomes due in 24 hours."""
        self._require({ReferralStatus.REQUESTED}, "accept")
        self._require_holder(by, "accept")
        self._accept(actor=by, accepted_at=at, feedback_due_at=at + FEEDBACK_WINDOW)

    @event(Accepted)
    def _accept(self, actor: str, accepted_at: datetime, feedback_due_at: datetime) -> None:
        self.status = ReferralStatus.ACCEPTED
        self.feedback_due_at = feedback_due_at

    def route(self, *, by: str, to_unit: str, at: datetime, note: str) -> None:
        """Pass the accepted referral to the unit that will handle it (流转)."""
        self._require({ReferralStatus.ACCEPTED, ReferralStatus.ROUTED}, "route")
        self._require_holder(by, "route")
        if not to_unit.strip():
            raise InvalidValue("to_unit", "routing needs the unit that will handle the referral")
        self._route(actor=by, to_unit=to_unit, routed_at=at, note=note)

    @event(Routed)
    def _route(self, actor: str, to_unit: str, routed_at: datetime, note: str) -> None:
        self.status = ReferralStatus.ROUTED

    def give_feedback(self, *, by: str, at: datetime, content: str) -> None:
        """The holder reports back on progress (反馈)."""
        allowed = {ReferralStatus.ACCEPTED, ReferralStatus.ROUTED, ReferralStatus.FEEDBACK_GIVEN}
        self._require(allowed, "feedback")
        self._require_holder(by, "give feedback on")
        if not content.strip():
            raise InvalidValue("content", "feedback must say something")
        self._give_feedback(actor=by, given_at=at, content=content)

    @event(FeedbackGiven)
    def _give_feedback(self, actor: str, given_at: datetime, content: str) -> None:
        self.status = ReferralStatus.FEEDBACK_GIVEN
        if self.first_feedback_at is None:
            self.first_feedback_at = given_at

    def complete(self, *, by: str, at: datetime, outcome: str) -> None:
        """The holder closes the case (办结); feedback must have been given first."""
        self._require({ReferralStatus.FEEDBACK_GIVEN}, "complete")
        self._require_holder(by, "complete")
        if not outcome.strip():
            raise InvalidValue("outcome", "completing needs the outcome")
        self._complete(actor=by, completed_at=at, outcome=outcome)

    @event(Completed)
    def _complete(self, actor: str, completed_at: datetime, outcome: str) -> None:
        self.status = ReferralStatus.COMPLETED

    def follow_up(self, *, by: str, at: datetime, satisfied: bool, note: str) -> None:
        """Record the follow-up visit (回访) after completion."""
        self._require({ReferralStatus.COMPLETED}, "follow-up")
        self._follow_up(actor=by, followed_up_at=at, satisfied=satisfied, note=note)

    @event(FollowedUp)
    def _follow_up(self, actor: str, followed_up_at: datetime, satisfied: bool, note: str) -> None:
        self.status = ReferralStatus.FOLLOWED_UP

    def refuse(self, *, by: str, at: datetime, reason: str) -> None:
        """The addressed department declines, with a reason; the need goes back to the queue."""
        self._require({ReferralStatus.REQUESTED}, "refuse")
        self._require_holder(by, "refuse")
        if not reason.strip():
            raise InvalidValue("reason", "refusing a referral needs a reason")
        self._refuse(actor=by, refused_at=at, reason=reason)

    @event(Refused)
    def _refuse(self, actor: str, refused_at: datetime, reason: str) -> None:
        self.status = ReferralStatus.REFUSED

    def reassign(self, *, by: str, to_department: str, at: datetime, reason: str) -> None:
        """A coordinator moves the referral to another department, which must accept it anew."""
        self._require(
            {ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED, ReferralStatus.ROUTED}, "reassign"
        )
        if to_department == self.holder:
            raise RuleViolation(f"referral {self.id} is already held by {to_department!r}")
        if not reason.strip():
            raise InvalidValue("reason", "reassigning a referral needs a reason")
        self._reassign(
            actor=by,
            from_department=self.holder,
            to_department=to_department,
            reassigned_at=at,
            reason=reason,
        )

    @event(Reassigned)
    def _reassign(
        self,
        actor: str,
        from_department: str,
        to_department: str,
        reassigned_at: datetime,
        reason: str,
    ) -> None:
        self.holder = to_department
        self.status = ReferralStatus.REQUESTED
        self.feedback_due_at = None
