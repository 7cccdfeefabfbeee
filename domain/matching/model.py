"""Matching records: an alliance's versioned policy, and the coordinators' triage of one need."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.matching.policy import Policy
from domain.shared.errors import InvalidValue, RuleViolation
from domain.shared.regions import alliance_of, parent_of

_NAMESPACE = UUID("7d1f0b52-3c4e-4a8e-9b61-0e5d2c7a9f13")


def policy_id(alliance: str) -> UUID:
    """One matching policy per alliance (its county code)."""
    return uuid5(_NAMESPACE, f"policy\x1f{alliance_of(alliance)}")


def triage_id(need_id: UUID) -> UUID:
    """One triage record per need."""
    return uuid5(_NAMESPACE, f"triage\x1f{need_id}")


def _why(value: str, field: str) -> str:
    if not value.strip():
        raise InvalidValue(field, "say why")
    return value.strip()


class MatchingPolicy(Aggregate):
    """The weights and switches an alliance matches with; every change is a new version."""

    class Adopted(Aggregate.Created):
        region_code: str
        settings: dict[str, Any]
        by: str
        reason: str
        adopted_at: datetime

    class Revised(Aggregate.Event):
        settings: dict[str, Any]
        by: str
        reason: str
        revised_at: datetime

    @staticmethod
    def create_id(region_code: str, **_: Any) -> UUID:
        """The alliance names its policy."""
        return policy_id(region_code)

    @event(Adopted)
    def __init__(
        self,
        *,
        region_code: str,
        settings: dict[str, Any],
        by: str,
        reason: str,
        adopted_at: datetime,
    ) -> None:
        self.region_code = region_code
        self.settings = settings

    @property
    def policy(self) -> Policy:
        """The policy in force, with its version."""
        return Policy.parse(self.settings, self.version)

    def revise(self, *, settings: Policy, by: str, reason: str, at: datetime) -> None:
        """Replace the weights and switches; the old version stays in the log."""
        self._revise(
            settings=settings.as_record(), by=by, reason=_why(reason, "reason"), revised_at=at
        )

    @event(Revised)
    def _revise(self, settings: dict[str, Any], by: str, reason: str, revised_at: datetime) -> None:
        self.settings = settings


class Triage(Aggregate):
    """What coordinators decided about one need: rejections, escalations, the accepted match."""

    class Opened(Aggregate.Created):
        need_id: UUID
        region_code: str

    class CandidateRejected(Aggregate.Event):
        candidate_id: str
        reason: str
        by: str
        rejected_at: datetime
        # The inputs, digest and verdicts as decided (domain.matching.record); None before v2.
        decided: dict[str, Any] | None = None

    class Escalated(Aggregate.Event):
        from_code: str
        to_code: str
        to_department: str | None
        reason: str
        by: str
        escalated_at: datetime

    class CandidateAccepted(Aggregate.Event):
        candidate_id: str
        kind: str
        referral_id: UUID
        policy_version: int
        by: str
        accepted_at: datetime
        decided: dict[str, Any] | None = None

    @staticmethod
    def create_id(need_id: UUID, **_: Any) -> UUID:
        """The need names its triage record."""
        return triage_id(need_id)

    @event(Opened)
    def __init__(self, *, need_id: UUID, region_code: str) -> None:
        self.need_id = need_id
        self.region_code = region_code
        self.owner_code = region_code
        self.rejected: dict[str, str] = {}
        self.accepted: list[str] = []

    def reject(
        self,
        *,
        candidate_id: str,
        reason: str,
        by: str,
        at: datetime,
        decided: dict[str, Any] | None = None,
    ) -> None:
        """Rule a candidate out for this need, with the reason and what the rules said then."""
        if candidate_id in self.rejected:
            raise RuleViolation(f"candidate {candidate_id} was already rejected for this need")
        self._reject(
            candidate_id=candidate_id,
            reason=_why(reason, "reason"),
            by=by,
            rejected_at=at,
            decided=decided,
        )

    @event(CandidateRejected)
    def _reject(
        self,
        candidate_id: str,
        reason: str,
        by: str,
        rejected_at: datetime,
        decided: dict[str, Any] | None = None,  # absent from events recorded before it
    ) -> None:
        self.rejected[candidate_id] = reason

    def escalate(self, *, by: str, reason: str, at: datetime, to_department: str | None) -> None:
        """Hand the need to the next level up: village → town → county."""
        up = parent_of(self.owner_code)
        if up is None:
            raise RuleViolation(
                f"need {self.need_id} is already with the county ({self.owner_code});"
                " there is no level above"
            )
        self._escalate(
            from_code=self.owner_code,
            to_code=up,
            to_department=to_department,
            reason=_why(reason, "reason"),
            by=by,
            escalated_at=at,
        )

    @event(Escalated)
    def _escalate(
        self,
        from_code: str,
        to_code: str,
        to_department: str | None,
        reason: str,
        by: str,
        escalated_at: datetime,
    ) -> None:
        self.owner_code = to_code

    def accept(
        self,
        *,
        candidate_id: str,
        kind: str,
        referral_id: UUID,
        policy_version: int,
        by: str,
        at: datetime,
        decided: dict[str, Any] | None = None,
    ) -> None:
        """Record the candidate a coordinator chose and what it was judged on, as decided."""
        if candidate_id in self.rejected:
            raise RuleViolation(
                f"candidate {candidate_id} was rejected for this need:"
                f" {self.rejected[candidate_id]}"
            )
        self._accept(
            candidate_id=candidate_id,
            kind=kind,
            referral_id=referral_id,
            policy_version=policy_version,
            by=by,
            accepted_at=at,
            decided=decided,
        )

    @event(CandidateAccepted)
    def _accept(
        self,
        candidate_id: str,
        kind: str,
        referral_id: UUID,
        policy_version: int,
        by: str,
        accepted_at: datetime,
        decided: dict[str, Any] | None = None,
    ) -> None:
        self.accepted.append(candidate_id)
