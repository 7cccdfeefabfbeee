"""An alliance's service standards: the deadline policy, versioned by adoption."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.shared.errors import InvalidValue
from domain.standards.deadlines import DeadlinePolicy

_NAMESPACE = UUID("a3c1f0d2-6b7e-4e59-9a21-3f8d5c0e7b64")


def standards_id(alliance: str) -> UUID:
    """One set of standards per alliance (county code)."""
    return uuid5(_NAMESPACE, alliance)


class Standards(Aggregate):
    """The deadlines an alliance promises, each adoption a new version of the policy."""

    class Created(Aggregate.Created):
        region_code: str

    class Adopted(Aggregate.Event):
        alliance: str
        policy: dict[str, Any]
        actor: str
        reason: str
        adopted_at: datetime

    @staticmethod
    def create_id(region_code: str, **_: Any) -> UUID:
        """The alliance names its standards."""
        return standards_id(region_code)

    @event(Created)
    def __init__(self, *, region_code: str) -> None:
        self.region_code = region_code
        self.policy = DeadlinePolicy()
        self.edition = 0

    def adopt(self, *, policy: DeadlinePolicy, actor: str, reason: str, at: datetime) -> None:
        """Adopt a new deadline policy; steps already recorded keep the deadline they got."""
        if not reason.strip():
            raise InvalidValue("reason", "say why the deadlines change")
        self._adopt(
            alliance=self.region_code,
            policy=policy.as_record(),
            actor=actor,
            reason=reason.strip(),
            adopted_at=at,
        )

    @event(Adopted)
    def _adopt(
        self, alliance: str, policy: dict[str, Any], actor: str, reason: str, adopted_at: datetime
    ) -> None:
        self.edition += 1
        self.policy = DeadlinePolicy.parse(policy, version=self.edition)
