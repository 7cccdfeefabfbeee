"""A referral (转介): the closed loop accept → route → feedback → complete → follow-up."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.referrals.status import AWAITING_FEEDBACK, OPEN_STATUSES, ReferralStatus
from domain.referrals.upcasting import actor_was_by, recorded_when_claimed
from domain.shared.errors import InvalidValue, NotPermitted, RuleViolation
from domain.standards.deadlines import DeadlinePolicy, Step, is_late, next_level

__all__ = ["AWAITING_FEEDBACK", "OPEN_STATUSES", "Referral", "ReferralStatus"]

DEFAULT_POLICY = DeadlinePolicy()
# Steps dated within this of the step they follow are in order (clients often give whole seconds).
ORDER_TOLERANCE = timedelta(seconds=1)


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
        class_version = 2
        recorded_at: datetime  # when zhulian recorded it; deadlines run from here
        acceptance_due_at: datetime

        upcast_v1_v2 = recorded_when_claimed("requested_at", "acceptance_due_at")

    class Accepted(Aggregate.Event):
        class_version = 3
        actor: str  # v1 called it `by`
        accepted_at: datetime
        feedback_due_at: datetime
        recorded_at: datetime
        late: bool

        upcast_v1_v2 = staticmethod(actor_was_by)
        upcast_v2_v3 = recorded_when_claimed("accepted_at")

    class Routed(Aggregate.Event):
        class_version = 2
        actor: str  # v1 called it `by`
        to_unit: str
        routed_at: datetime
        note: str

        upcast_v1_v2 = staticmethod(actor_was_by)

    class FeedbackGiven(Aggregate.Event):
        class_version = 3
        actor: str  # v1 called it `by`
        given_at: datetime
        content: str
        recorded_at: datetime
        late: bool

        upcast_v1_v2 = staticmethod(actor_was_by)
        upcast_v2_v3 = recorded_when_claimed("given_at")

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
        class_version = 3
        actor: str  # v1 called it `by`
        from_department: str
        to_department: str
        reassigned_at: datetime
        reason: str
        recorded_at: datetime
        acceptance_due_at: datetime

        upcast_v1_v2 = staticmethod(actor_was_by)
        upcast_v2_v3 = recorded_when_claimed("reassigned_at", "acceptance_due_at")

    class DeadlineBreached(Aggregate.Event):
        step: str
        due_at: datetime
        holder: str
        recorded_at: datetime

    class Escalated(Aggregate.Event):
        step: str
        from_region: str
        to_region: str
        recorded_at: datetime

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
        recorded_at: datetime,
        acceptance_due_at: datetime,
    ) -> None:
        self.need_id = need_id
        self.household_id = household_id
        self.region_code = region_code
        self.requester = from_department
        self.holder = to_department
        self.status = ReferralStatus.REQUESTED
        self.acceptance_due_at: datetime | None = acceptance_due_at
        self.feedback_due_at: datetime | None = None
        self.first_feedback_at: datetime | None = None
        self.last_step_at: datetime | None = requested_at
        self.breached: list[tuple[str, datetime]] = []  # lists: snapshots are JSON
        self.escalated_to = region_code

    def pending(self) -> tuple[Step, datetime] | None:
        """The step the holder owes an answer to, and when it is due; None when nothing is."""
        if self.status is ReferralStatus.REQUESTED and self.acceptance_due_at is not None:
            return Step.ACCEPTANCE, self.acceptance_due_at
        if self.status in AWAITING_FEEDBACK and self.feedback_due_at is not None:
            return Step.FEEDBACK, self.feedback_due_at
        return None

    def is_overdue(self, now: datetime) -> bool:
        """An answer is owed and its deadline has passed."""
        owed = self.pending()
        return owed is not None and now > owed[1]

    def record_overdue(self, *, now: datetime, policy: DeadlinePolicy) -> bool:
        """Record that the owed answer is overdue, once per deadline, and escalate a level.

        Returns False when nothing is overdue or this deadline's breach is already recorded.
        """
        owed = self.pending()
        if owed is None or now <= owed[1] or (owed[0].value, owed[1]) in self.breached:
            return False
        step, due_at = owed
        self._breach(step=step.value, due_at=due_at, holder=self.holder, recorded_at=now)
        upper = next_level(self.escalated_to, policy.ladder)
        if upper is not None:
            self._escalate(
                step=step.value, from_region=self.escalated_to, to_region=upper, recorded_at=now
            )
        return True

    @event(DeadlineBreached)
    def _breach(self, step: str, due_at: datetime, holder: str, recorded_at: datetime) -> None:
        self.breached.append((step, due_at))

    @event(Escalated)
    def _escalate(self, step: str, from_region: str, to_region: str, recorded_at: datetime) -> None:
        self.escalated_to = to_region

    def _require(self, allowed: set[ReferralStatus], action: str) -> None:
        if self.status not in allowed:
            names = ", ".join(sorted(s.value for s in allowed))
            raise RuleViolation(
                f"referral {self.id} is {self.status.value}; {action} needs it to be {names}"
            )

    def _require_in_order(self, at: datetime, action: str) -> None:
        """A step cannot be dated before the step it follows (the record's order is its time).

        Within a second is in order: a client giving whole seconds may follow a step the
        service dated at arrival, to the microsecond.
        """
        last: datetime | None = getattr(self, "last_step_at", None)
        if last is not None and at < last - ORDER_TOLERANCE:
            raise InvalidValue(
                "time",
                f"{action} of referral {self.id} is dated {at.isoformat()}, before the step it"
                f" follows ({last.isoformat()}); date it at or after that step",
            )

    def _require_holder(self, by: str, action: str) -> None:
        if by != self.holder:  # who may act, whatever the state: 403
            raise NotPermitted(
                f"referral {self.id} is held by {self.holder!r}; {by!r} cannot {action} it"
            )

    def accept(
        self,
        *,
        by: str,
        at: datetime,
        recorded_at: datetime | None = None,
        policy: DeadlinePolicy = DEFAULT_POLICY,
    ) -> None:
        """The holding department accepts (受理); feedback is due within the policy's hours."""
        self._require({ReferralStatus.REQUESTED}, "accept")
        self._require_holder(by, "accept")
        self._require_in_order(at, "accept")
        self._accept(
            actor=by,
            accepted_at=at,
            feedback_due_at=policy.due(Step.FEEDBACK, recorded_at or at),
            recorded_at=recorded_at or at,
            late=is_late(recorded_at or at, self.acceptance_due_at),
        )

    @event(Accepted)
    def _accept(
        self,
        actor: str,
        accepted_at: datetime,
        feedback_due_at: datetime,
        recorded_at: datetime,
        late: bool,
    ) -> None:
        self.status = ReferralStatus.ACCEPTED
        self.last_step_at = accepted_at
        self.feedback_due_at = feedback_due_at

    def route(
        self, *, by: str, to_unit: str, at: datetime, note: str, coordinator: bool = False
    ) -> None:
        """Pass the accepted referral to the unit that will handle it (流转): by the holder, or
        by a coordinator whose region covers it (`coordinator`, judged by the caller)."""
        self._require({ReferralStatus.ACCEPTED, ReferralStatus.ROUTED}, "route")
        if not coordinator:
            self._require_holder(by, "route")
        if not to_unit.strip():
            raise InvalidValue("to_unit", "routing needs the unit that will handle the referral")
        self._require_in_order(at, "route")
        self._route(actor=by, to_unit=to_unit, routed_at=at, note=note)

    @event(Routed)
    def _route(self, actor: str, to_unit: str, routed_at: datetime, note: str) -> None:
        self.status = ReferralStatus.ROUTED
        self.last_step_at = routed_at

    def give_feedback(
        self, *, by: str, at: datetime, content: str, recorded_at: datetime | None = None
    ) -> None:
        """The holder reports back on progress (反馈)."""
        allowed = {ReferralStatus.ACCEPTED, ReferralStatus.ROUTED, ReferralStatus.FEEDBACK_GIVEN}
        self._require(allowed, "feedback")
        self._require_holder(by, "give feedback on")
        if not content.strip():
            raise InvalidValue("content", "feedback must say something")
        self._require_in_order(at, "feedback")
        recorded = recorded_at or at
        late = self.first_feedback_at is None and is_late(recorded, self.feedback_due_at)
        self._give_feedback(actor=by, given_at=at, content=content, recorded_at=recorded, late=late)

    @event(FeedbackGiven)
    def _give_feedback(
        self, actor: str, given_at: datetime, content: str, recorded_at: datetime, late: bool
    ) -> None:
        self.status = ReferralStatus.FEEDBACK_GIVEN
        self.last_step_at = given_at
        if self.first_feedback_at is None:
            self.first_feedback_at = given_at

    def complete(self, *, by: str, at: datetime, outcome: str) -> None:
        """The holder closes the case (办结); feedback must have been given first."""
        self._require({ReferralStatus.FEEDBACK_GIVEN}, "complete")
        self._require_holder(by, "complete")
        if not outcome.strip():
            raise InvalidValue("outcome", "completing needs the outcome")
        self._require_in_order(at, "completion")
        self._complete(actor=by, completed_at=at, outcome=outcome)

    @event(Completed)
    def _complete(self, actor: str, completed_at: datetime, outcome: str) -> None:
        self.status = ReferralStatus.COMPLETED
        self.last_step_at = completed_at

    def follow_up(self, *, by: str, at: datetime, satisfied: bool, note: str) -> None:
        """Record the follow-up visit (回访) after completion."""
        self._require({ReferralStatus.COMPLETED}, "follow-up")
        self._require_in_order(at, "follow-up")
        self._follow_up(actor=by, followed_up_at=at, satisfied=satisfied, note=note)

    @event(FollowedUp)
    def _follow_up(self, actor: str, followed_up_at: datetime, satisfied: bool, note: str) -> None:
        self.status = ReferralStatus.FOLLOWED_UP
        self.last_step_at = followed_up_at

    def refuse(self, *, by: str, at: datetime, reason: str) -> None:
        """The addressed department declines, with a reason; the need goes back to the queue."""
        self._require({ReferralStatus.REQUESTED}, "refuse")
        self._require_holder(by, "refuse")
        if not reason.strip():
            raise InvalidValue("reason", "refusing a referral needs a reason")
        self._require_in_order(at, "refusal")
        self._refuse(actor=by, refused_at=at, reason=reason)

    @event(Refused)
    def _refuse(self, actor: str, refused_at: datetime, reason: str) -> None:
        self.status = ReferralStatus.REFUSED
        self.last_step_at = refused_at

    def reassign(
        self,
        *,
        by: str,
        to_department: str,
        at: datetime,
        reason: str,
        recorded_at: datetime | None = None,
        policy: DeadlinePolicy = DEFAULT_POLICY,
    ) -> None:
        """A coordinator moves the referral to another department, which must accept it anew."""
        self._require(
            {ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED, ReferralStatus.ROUTED}, "reassign"
        )
        if to_department == self.holder:
            raise RuleViolation(f"referral {self.id} is already held by {to_department!r}")
        if not reason.strip():
            raise InvalidValue("reason", "reassigning a referral needs a reason")
        self._require_in_order(at, "reassignment")
        self._reassign(
            actor=by,
            from_department=self.holder,
            to_department=to_department,
            reassigned_at=at,
            reason=reason,
            recorded_at=recorded_at or at,
            acceptance_due_at=policy.due(Step.ACCEPTANCE, recorded_at or at),
        )

    @event(Reassigned)
    def _reassign(
        self,
        actor: str,
        from_department: str,
        to_department: str,
        reassigned_at: datetime,
        reason: str,
        recorded_at: datetime,
        acceptance_due_at: datetime,
    ) -> None:
        self.holder = to_department
        self.status = ReferralStatus.REQUESTED
        self.acceptance_due_at = acceptance_due_at
        self.feedback_due_at = None
        self.last_step_at = reassigned_at
