"""The household file (一户一档一策): who the household is, what it holds, what is planned."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.households.consent import Sharing
from domain.households.erasure import check_erasure
from domain.households.identity import household_id
from domain.households.place import Place
from domain.households.vocabulary import Assistance
from domain.shared.errors import InvalidValue, RuleViolation
from domain.standards.deadlines import DeadlinePolicy, Step, is_late, next_level


class Household(Sharing):
    """One household's file, keyed by its pseudonymous household key."""

    class Discovered(Aggregate.Created):
        household_key: str
        region_code: str
        channel: str
        reported_by: str
        discovered_at: datetime
        members: list[dict[str, Any]]
        note: str

    class ReportedAgain(Aggregate.Event):
        channel: str
        reported_by: str
        reported_at: datetime
        members: list[dict[str, Any]]
        note: str

    class AssistanceGranted(Aggregate.Event):
        status: str
        by: str
        granted_at: datetime

    class TemporaryAidGranted(Aggregate.Event):
        amount_fen: int | None  # None: granted before amounts were recorded
        by: str
        granted_at: datetime
        reason: str

    class ApplicationReceived(Aggregate.Event):
        recorded_at: datetime
        due_at: datetime

    class ApplicationAnswered(Aggregate.Event):
        answer: str
        by: str
        answered_at: datetime
        recorded_at: datetime
        late: bool

    class ApplicationOverdue(Aggregate.Event):
        due_at: datetime
        recorded_at: datetime

    class Escalated(Aggregate.Event):
        from_region: str
        to_region: str
        recorded_at: datetime

    class AssistanceEnded(Aggregate.Event):
        status: str
        by: str
        ended_at: datetime
        reason: str

    class Located(Aggregate.Event):
        # The cell (Place.cell().as_record()) and, since the point is sealed, `point`: its
        # latitude and longitude as sealed tokens. Older events hold the point itself.
        place: dict[str, Any]
        by: str
        located_at: datetime

    class Assessed(Aggregate.Event):
        difficulty_circle: int
        group: str
        plan: str
        by: str
        assessed_at: datetime

    class Erased(Aggregate.Event):
        by: str
        reason: str  # the legal reason: kept readable, so it must name no person
        reference: str
        erased_at: datetime

    erased_at: datetime | None = None  # files (and snapshots) from before erasure existed

    @staticmethod
    def create_id(household_key: str, **_: Any) -> UUID:
        """One household key, one file."""
        return household_id(household_key)

    @event(Discovered)
    def __init__(
        self,
        *,
        household_key: str,
        region_code: str,
        channel: str,
        reported_by: str,
        discovered_at: datetime,
        members: list[dict[str, Any]],
        note: str,
    ) -> None:
        self.household_key = household_key
        self.region_code = region_code
        self.members = members
        self.discoveries: list[tuple[str, str, datetime]] = [(channel, reported_by, discovered_at)]
        self.assistance: dict[str, datetime] = {}
        self.grants: list[tuple[datetime, int | None, str]] = []
        self.answer_due_at: datetime | None = None
        self.overdue_recorded: list[datetime] = []  # lists: snapshots are JSON
        self.escalated_to = region_code
        self.difficulty_circle: int | None = None
        self.group: str | None = None
        self.plan: str = ""
        self.place: dict[str, Any] | None = None

    def report_again(
        self,
        *,
        channel: str,
        reported_by: str,
        at: datetime,
        members: list[dict[str, Any]],
        note: str,
    ) -> None:
        """Add a further discovery report to the existing file; a new roster replaces the old."""
        self._report_again(
            channel=channel, reported_by=reported_by, reported_at=at, members=members, note=note
        )

    @event(ReportedAgain)
    def _report_again(
        self,
        channel: str,
        reported_by: str,
        reported_at: datetime,
        members: list[dict[str, Any]],
        note: str,
    ) -> None:
        self.discoveries.append((channel, reported_by, reported_at))
        if members:
            self.members = members

    def locate(
        self, *, place: Place, by: str, at: datetime, point: dict[str, str] | None = None
    ) -> None:
        """Record where the household is (its cell in clear, with its source; the point only as
        given: `point`, sealed by the caller); the newest place counts."""
        record = place.cell().as_record()
        if point:
            record["point"] = dict(point)
        self._locate(place=record, by=by, located_at=at)

    @event(Located)
    def _locate(self, place: dict[str, Any], by: str, located_at: datetime) -> None:
        self.place = place

    def grant(self, *, status: Assistance, by: str, at: datetime) -> None:
        """Record that a department granted an assistance status (临时救助 is a one-off grant)."""
        if status is Assistance.TEMPORARY:
            self.grant_temporary_aid(amount_fen=None, by=by, at=at, reason="")
            return
        if status.value in self.assistance:
            raise RuleViolation(f"household already holds assistance status {status.value!r}")
        self._grant(status=status.value, by=by, granted_at=at)

    @event(AssistanceGranted)
    def _grant(self, status: str, by: str, granted_at: datetime) -> None:
        if status == Assistance.TEMPORARY.value:
            # Files from before grants were one-off events: such a "status" was one grant.
            self.grants.append((granted_at, None, by))
        else:
            self.assistance[status] = granted_at

    def grant_temporary_aid(
        self, *, amount_fen: int | None, by: str, at: datetime, reason: str
    ) -> None:
        """Record a one-off temporary assistance payment (临时救助); any number over time."""
        if amount_fen is not None and amount_fen < 1:
            raise InvalidValue("amount", "a grant pays at least one fen")
        self._grant_temporary(amount_fen=amount_fen, by=by, granted_at=at, reason=reason.strip())

    @event(TemporaryAidGranted)
    def _grant_temporary(
        self, amount_fen: int | None, by: str, granted_at: datetime, reason: str
    ) -> None:
        self.grants.append((granted_at, amount_fen, by))

    def end(self, *, status: Assistance, by: str, at: datetime, reason: str) -> None:
        """Record that an assistance status ended, with the reason."""
        if status is Assistance.TEMPORARY:
            raise RuleViolation("temporary assistance is a one-off grant; there is nothing to end")
        if status.value not in self.assistance:
            raise RuleViolation(f"household does not hold assistance status {status.value!r}")
        if not reason.strip():
            raise InvalidValue("reason", "ending an assistance status needs a reason")
        self._end(status=status.value, by=by, ended_at=at, reason=reason)

    @event(AssistanceEnded)
    def _end(self, status: str, by: str, ended_at: datetime, reason: str) -> None:
        self.assistance.pop(status, None)  # an old file may end a temporary "status" it had

    def assess(
        self, *, difficulty_circle: int, group: str, plan: str, by: str, at: datetime
    ) -> None:
        """Place the household in a difficulty circle and group, and set its plan (一策)."""
        if difficulty_circle not in (1, 2, 3):
            raise InvalidValue("difficulty_circle", "must be 1, 2 or 3")
        if not group.strip():
            raise InvalidValue("group", "is required")
        self._assess(
            difficulty_circle=difficulty_circle, group=group, plan=plan, by=by, assessed_at=at
        )

    @event(Assessed)
    def _assess(
        self, difficulty_circle: int, group: str, plan: str, by: str, assessed_at: datetime
    ) -> None:
        self.difficulty_circle = difficulty_circle
        self.group = group
        self.plan = plan

    def receive_application(self, *, recorded_at: datetime, policy: DeadlinePolicy) -> None:
        """A resident applied (掌上办 or in person): a first answer is owed within the hours."""
        if self.answer_due_at is None:
            self._receive(recorded_at=recorded_at, due_at=policy.due(Step.APPLICATION, recorded_at))

    @event(ApplicationReceived)
    def _receive(self, recorded_at: datetime, due_at: datetime) -> None:
        self.answer_due_at = due_at

    def answer_application(
        self, *, answer: str, by: str, at: datetime, recorded_at: datetime
    ) -> None:
        """The first answer to the resident; late when recorded after its deadline."""
        if self.answer_due_at is None:
            raise RuleViolation("no application of this household is waiting for an answer")
        if not answer.strip():
            raise InvalidValue("answer", "say what the resident was told")
        self._answer(
            answer=answer.strip(),
            by=by,
            answered_at=at,
            recorded_at=recorded_at,
            late=is_late(recorded_at, self.answer_due_at),
        )

    @event(ApplicationAnswered)
    def _answer(
        self, answer: str, by: str, answered_at: datetime, recorded_at: datetime, late: bool
    ) -> None:
        self.answer_due_at = None

    def record_overdue(self, *, now: datetime, policy: DeadlinePolicy) -> bool:
        """Record, once per deadline, that the answer is overdue, and escalate a level up."""
        due = self.answer_due_at
        if due is None or now <= due or due in self.overdue_recorded:
            return False
        self._overdue(due_at=due, recorded_at=now)
        upper = next_level(self.escalated_to, policy.ladder)
        if upper is not None:
            self._escalate(from_region=self.escalated_to, to_region=upper, recorded_at=now)
        return True

    @event(ApplicationOverdue)
    def _overdue(self, due_at: datetime, recorded_at: datetime) -> None:
        self.overdue_recorded.append(due_at)

    @event(Escalated)
    def _escalate(self, from_region: str, to_region: str, recorded_at: datetime) -> None:
        self.escalated_to = to_region

    def erase(self, *, by: str, reason: str, reference: str, at: datetime) -> None:
        """Record that the household's personal data was erased (its key is destroyed)."""
        check_erasure(reason=reason, erased_at=self.erased_at)
        self._erase(by=by, reason=reason.strip(), reference=reference, erased_at=at)

    @event(Erased)
    def _erase(self, by: str, reason: str, reference: str, erased_at: datetime) -> None:
        self.erased_at = erased_at
