"""A pairing (结对帮扶): a helper paired with a household, owing contacts at a cadence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared.errors import InvalidValue, RuleViolation


class PairingKind(StrEnum):
    """Who is paired with whom."""

    PARTY_MEMBER_CHILD = "party_member_child"  # party member ↔ orphan or unattended child
    SOCIAL_WORKER_HOUSEHOLD = "social_worker_household"  # social worker ↔ 低保 / children
    VOLUNTEER_ELDERLY = "volunteer_elderly"  # volunteer ↔ elderly person living alone


class Contact(StrEnum):
    """What a helper does for the household."""

    CALL = "call"
    VISIT = "visit"
    DEED = "deed"  # a concrete good deed (办实事)


# Days between contacts of each kind. The party-member cadence is the reports' own (a call every
# quarter, a visit every half year, a deed a year); the others are defaults an event may override.
DEFAULT_CADENCES: dict[PairingKind, dict[Contact, int]] = {
    PairingKind.PARTY_MEMBER_CHILD: {Contact.CALL: 91, Contact.VISIT: 182, Contact.DEED: 365},
    PairingKind.SOCIAL_WORKER_HOUSEHOLD: {Contact.VISIT: 91},
    PairingKind.VOLUNTEER_ELDERLY: {Contact.CALL: 7, Contact.VISIT: 30},
}
MAX_DAYS = 366


@dataclass(frozen=True)
class Cadence:
    """Days allowed between contacts of each kind the pairing owes."""

    days: dict[str, int]

    @classmethod
    def parse(cls, kind: PairingKind, raw: dict[str, Any] | None) -> Cadence:
        """The kind's default cadence, or the one given (kinds of contact and whole days)."""
        if not raw:
            return cls({c.value: d for c, d in DEFAULT_CADENCES[kind].items()})
        days: dict[str, int] = {}
        for name, value in raw.items():
            if name not in Contact.__members__.values():
                raise InvalidValue(f"cadence.{name}", "not a kind of contact: call, visit, deed")
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DAYS:
                raise InvalidValue(f"cadence.{name}", f"whole days from 1 to {MAX_DAYS}")
            days[name] = value
        return cls(days)


def due_dates(
    started_at: datetime, cadence: dict[str, int], last: dict[str, datetime]
) -> dict[str, datetime]:
    """When the next contact of each kind is due: its cadence after the last one (or the start)."""
    return {
        kind: last.get(kind, started_at) + timedelta(days=days) for kind, days in cadence.items()
    }


class Pairing(Aggregate):
    """A helper paired with a household; contacts recorded as they happen; ended with a reason."""

    class Started(Aggregate.Created):
        household_id: UUID
        region_code: str
        kind: str
        helper_ref: str
        cadence: dict[str, int]
        actor: str
        started_at: datetime

    class ContactRecorded(Aggregate.Event):
        contact: str
        contacted_at: datetime
        recorded_at: datetime
        next_due_at: datetime
        actor: str
        note: str

    class Ended(Aggregate.Event):
        reason: str
        actor: str
        ended_at: datetime

    @event(Started)
    def __init__(
        self,
        *,
        id: UUID,
        household_id: UUID,
        region_code: str,
        kind: str,
        helper_ref: str,
        cadence: dict[str, int],
        actor: str,
        started_at: datetime,
    ) -> None:
        self.household_id = household_id
        self.region_code = region_code
        self.kind = kind
        self.cadence = dict(cadence)
        self.started_at = started_at
        self.last: dict[str, datetime] = {}
        self.ended = False

    def record_contact(
        self, *, contact: Contact, at: datetime, recorded_at: datetime, actor: str, note: str
    ) -> None:
        """A call, visit or deed happened; the next of its kind is due a cadence later."""
        if self.ended:
            raise RuleViolation(f"pairing {self.id} has ended; no contact can be recorded")
        if contact.value not in self.cadence:
            owed = ", ".join(self.cadence)
            raise RuleViolation(f"this pairing owes {owed}, not {contact.value}")
        if at < self.started_at:
            raise RuleViolation("a contact cannot be dated before the pairing started")
        latest = max(at, self.last.get(contact.value, at))
        self._contact(
            contact=contact.value,
            contacted_at=at,
            recorded_at=recorded_at,
            next_due_at=latest + timedelta(days=self.cadence[contact.value]),
            actor=actor,
            note=note,
        )

    @event(ContactRecorded)
    def _contact(
        self,
        contact: str,
        contacted_at: datetime,
        recorded_at: datetime,
        next_due_at: datetime,
        actor: str,
        note: str,
    ) -> None:
        self.last[contact] = max(contacted_at, self.last.get(contact, contacted_at))

    def end(self, *, reason: str, actor: str, at: datetime) -> None:
        """The pairing ends (the child came of age, the household moved …), with the reason."""
        if self.ended:
            raise RuleViolation(f"pairing {self.id} has already ended")
        if not reason.strip():
            raise InvalidValue("reason", "say why the pairing ends")
        self._end(reason=reason.strip(), actor=actor, ended_at=at)

    @event(Ended)
    def _end(self, reason: str, actor: str, ended_at: datetime) -> None:
        self.ended = True

    def due(self) -> dict[str, datetime]:
        """When each kind of contact is due next."""
        return due_dates(self.started_at, self.cadence, self.last)
