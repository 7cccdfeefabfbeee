"""A reservation a match made: capacity of an offering or money of a fund, until it ends.

Every reservation ends explicitly, once, with an event: used (by a delivery or a disbursement),
released (the referral refused or reassigned, the need met or closed, the allocation cancelled,
or a coordinator's decision) or expired after the policy's days. The balances themselves move on
the offering (`CapacityUsed` / `CapacityReleased`) and the fund (`Allocated` /
`AllocationCancelled` / `Disbursed`) in the same commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.shared.errors import InvalidValue, RuleViolation

_NAMESPACE = UUID("0f3c2b6e-94d1-4b7a-8e25-6a1d9c4e7b30")


def reservation_id(referral_id: UUID) -> UUID:
    """A referral made by a match holds at most one reservation; its id follows the referral's."""
    return uuid5(_NAMESPACE, f"reservation\x1f{referral_id}")


class Kind(StrEnum):
    """What is held."""

    CAPACITY = "capacity"  # units of an offering in a month
    MONEY = "money"  # an allocation of a fund


class State(StrEnum):
    """Where a reservation stands; every state but OPEN is final."""

    OPEN = "open"
    USED = "used"
    RELEASED = "released"
    EXPIRED = "expired"


class Cause(StrEnum):
    """Why a reservation was released."""

    REFERRAL_REFUSED = "referral_refused"
    REFERRAL_REASSIGNED = "referral_reassigned"
    NEED_MET = "need_met"
    NEED_CLOSED = "need_closed"
    ALLOCATION_CANCELLED = "allocation_cancelled"
    COORDINATOR = "coordinator"


@dataclass(frozen=True)
class Hold:
    """What a match holds: units of an offering in a month, or fen of a fund."""

    kind: Kind
    resource_id: UUID
    period: str = ""
    units: int = 0
    amount_fen: int = 0
    provider_id: UUID | None = None  # the offering's provider


class Reservation(Aggregate):
    """Capacity or money held for one referral's household and need."""

    class Made(Aggregate.Created):
        referral_id: UUID
        need_id: UUID
        household_id: UUID
        region_code: str
        kind: str
        resource_id: UUID
        provider_id: UUID | None  # the offering's provider; None for money
        holder: str  # who the referral went to
        period: str
        units: int
        amount_fen: int
        made_by: str
        made_at: datetime
        expires_at: datetime

    class Used(Aggregate.Event):
        used_by: str  # "delivery" or "disbursement"
        reference: str  # the delivery's or the allocation's id
        by: str
        used_at: datetime

    class Released(Aggregate.Event):
        cause: str
        reason: str
        by: str
        released_at: datetime

    class Expired(Aggregate.Event):
        reason: str
        expires_at: datetime
        expired_at: datetime

    @staticmethod
    def create_id(referral_id: UUID, **_: Any) -> UUID:
        """The referral names its reservation."""
        return reservation_id(referral_id)

    @event(Made)
    def __init__(
        self,
        *,
        referral_id: UUID,
        need_id: UUID,
        household_id: UUID,
        region_code: str,
        kind: str,
        resource_id: UUID,
        provider_id: UUID | None,
        holder: str,
        period: str,
        units: int,
        amount_fen: int,
        made_by: str,
        made_at: datetime,
        expires_at: datetime,
    ) -> None:
        self.referral_id = referral_id
        self.need_id = need_id
        self.household_id = household_id
        self.region_code = region_code
        self.holder = holder
        self.kind = Kind(kind)
        self.resource_id = resource_id
        self.period = period
        self.units = units
        self.amount_fen = amount_fen
        self.expires_at = expires_at
        self.state = State.OPEN

    @property
    def is_open(self) -> bool:
        """Whether it still holds capacity or money."""
        return self.state is State.OPEN

    def describe(self) -> str:
        """What it holds, for a person to read."""
        if self.kind is Kind.CAPACITY:
            return f"{self.units} unit(s) of offering {self.resource_id} in {self.period}"
        return f"{self.amount_fen} fen of fund {self.resource_id}"

    def _require_open(self, action: str) -> None:
        if not self.is_open:
            raise RuleViolation(
                f"reservation {self.id} ({self.describe()}) is already {self.state.value};"
                f" it cannot be {action}"
            )

    def use(self, *, used_by: str, reference: str, by: str, at: datetime) -> None:
        """End it by what it was held for: a delivery or a disbursement."""
        self._require_open("used")
        self._use(used_by=used_by, reference=reference, by=by, used_at=at)

    @event(Used)
    def _use(self, used_by: str, reference: str, by: str, used_at: datetime) -> None:
        self.state = State.USED

    def release(self, *, cause: Cause, reason: str, by: str, at: datetime) -> None:
        """End it unused; what it held returns to the offering or the fund."""
        self._require_open("released")
        if not reason.strip():
            raise InvalidValue("reason", "say why the reservation is released")
        self._release(cause=cause.value, reason=reason.strip(), by=by, released_at=at)

    @event(Released)
    def _release(self, cause: str, reason: str, by: str, released_at: datetime) -> None:
        self.state = State.RELEASED

    def expire(self, *, now: datetime) -> bool:
        """End it because its time ran out; False when it is not open or not yet due."""
        if not self.is_open or now < self.expires_at:
            return False
        self._expire(
            reason=f"unused by {self.expires_at.isoformat()}",
            expires_at=self.expires_at,
            expired_at=now,
        )
        return True

    @event(Expired)
    def _expire(self, reason: str, expires_at: datetime, expired_at: datetime) -> None:
        self.state = State.EXPIRED
