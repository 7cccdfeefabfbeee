"""A need (需求): one household's typed request for help, open until met or closed."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared.errors import InvalidValue, RuleViolation


class NeedStatus(StrEnum):
    """Where a need stands: open → referred → met, or closed with a reason."""

    OPEN = "open"
    REFERRED = "referred"
    MET = "met"
    CLOSED = "closed"


class Need(Aggregate):
    """A need of one household, typed survival / care / development."""

    class Raised(Aggregate.Created):
        household_id: UUID
        region_code: str
        need_type: str
        category: str
        urgency: str
        description: str
        raised_by: str
        raised_at: datetime
        policy: str = ""  # the code of a listed policy the household applies for

    class Referred(Aggregate.Event):
        referral_id: UUID
        referred_at: datetime

    class Reopened(Aggregate.Event):
        referral_id: UUID
        reason: str
        reopened_at: datetime

    class Met(Aggregate.Event):
        referral_id: UUID
        met_at: datetime

    class Closed(Aggregate.Event):
        by: str
        reason: str
        closed_at: datetime

    @event(Raised)
    def __init__(
        self,
        *,
        id: UUID,
        household_id: UUID,
        region_code: str,
        need_type: str,
        category: str,
        urgency: str,
        description: str,
        raised_by: str,
        raised_at: datetime,
        policy: str = "",
    ) -> None:
        self.household_id = household_id
        self.region_code = region_code
        self.need_type = need_type
        self.category = category
        self.urgency = urgency
        self.description = description  # sealed when personal data is encrypted
        self.policy = policy  # a policy of the list the household applies for, by its code
        self.status = NeedStatus.OPEN
        self.referral_id: UUID | None = None
        self.raised_at = raised_at

    def _require_after_raised(self, at: datetime, action: str) -> None:
        raised: datetime | None = getattr(self, "raised_at", None)
        if raised is not None and at < raised - timedelta(seconds=1):  # clients give seconds
            raise InvalidValue(
                "time",
                f"{action} need {self.id} is dated {at.isoformat()}, before it was raised"
                f" ({raised.isoformat()})",
            )

    def refer(self, *, referral_id: UUID, at: datetime) -> None:
        """Hand the need to a referral; only an open need can be referred."""
        if self.status is not NeedStatus.OPEN:
            raise RuleViolation(
                f"need {self.id} is {self.status.value}, only an open need can be referred"
            )
        self._require_after_raised(at, "referring")
        self._refer(referral_id=referral_id, referred_at=at)

    @event(Referred)
    def _refer(self, referral_id: UUID, referred_at: datetime) -> None:
        self.status = NeedStatus.REFERRED
        self.referral_id = referral_id

    def reopen(self, *, referral_id: UUID, reason: str, at: datetime) -> None:
        """Put the need back in the queue when its referral was refused or moved elsewhere."""
        if self.status is not NeedStatus.REFERRED or self.referral_id != referral_id:
            raise RuleViolation(f"need {self.id} is not held by referral {referral_id}")
        self._reopen(referral_id=referral_id, reason=reason, reopened_at=at)

    @event(Reopened)
    def _reopen(self, referral_id: UUID, reason: str, reopened_at: datetime) -> None:
        self.status = NeedStatus.OPEN
        self.referral_id = None

    def mark_met(self, *, referral_id: UUID, at: datetime) -> None:
        """Record that the referral holding the need completed it."""
        if self.status is not NeedStatus.REFERRED or self.referral_id != referral_id:
            raise RuleViolation(f"need {self.id} is not held by referral {referral_id}")
        self._mark_met(referral_id=referral_id, met_at=at)

    @event(Met)
    def _mark_met(self, referral_id: UUID, met_at: datetime) -> None:
        self.status = NeedStatus.MET

    def close(self, *, by: str, reason: str, at: datetime) -> None:
        """Close an open need without meeting it, with the reason (e.g. moved away)."""
        if self.status is not NeedStatus.OPEN:
            raise RuleViolation(
                f"need {self.id} is {self.status.value}, only an open need can be closed"
            )
        if not reason.strip():
            raise InvalidValue("reason", "closing a need needs a reason")
        self._require_after_raised(at, "closing")
        self._close(by=by, reason=reason, closed_at=at)

    @event(Closed)
    def _close(self, by: str, reason: str, closed_at: datetime) -> None:
        self.status = NeedStatus.CLOSED
