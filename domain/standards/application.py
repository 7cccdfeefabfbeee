"""Adopting an alliance's deadline policy, and reading the policy in force."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, cast
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.ingest.model import EventKey, Outcome
from domain.shared.commands import CommandHandler, Regional
from domain.shared.errors import ConcurrentUpdate
from domain.shared.names import required
from domain.shared.regions import alliance_of
from domain.standards.deadlines import DeadlinePolicy
from domain.standards.model import Standards, standards_id


class Overdue(Protocol):
    """A record that owes answers by deadlines and records the ones it missed."""

    region_code: str

    def record_overdue(self, *, now: datetime, policy: DeadlinePolicy) -> bool: ...


class StandardsCommands(CommandHandler):
    """The deadlines an alliance promises, and the clock that holds it to them."""

    def deadline_policy(self, region_code: str) -> DeadlinePolicy:
        """The policy in force for a region's alliance (the default before any adoption)."""
        ident = standards_id(alliance_of(region_code))
        if not self._exists(ident):
            return DeadlinePolicy()
        return self._load(Standards, ident).policy

    def adopt_deadlines(
        self,
        *,
        region_code: str,
        policy: DeadlinePolicy,
        by: str,
        reason: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Adopt a new version of the alliance's deadline policy."""
        if done := self._already_done(key):
            return done
        standards = self._alliance_record(Standards, region_code, expected_version)
        standards.adopt(policy=policy, actor=required(by, "actor"), reason=reason, at=at)
        return self._commit("standards", standards, key=key)

    def _record_once(self, kind: type[Aggregate], ident: UUID, now: datetime) -> bool:
        """The clock's write: record a missed deadline on a record once, even with clocks racing.

        The record judges whether anything is newly overdue; of two clocks racing, one commits
        and the other reloads and finds it recorded.
        """
        for attempt in (1, 2):
            record = cast(Overdue, self._load(kind, ident))
            if not record.record_overdue(now=now, policy=self.deadline_policy(record.region_code)):
                return False
            try:
                self._commit(kind.__name__.lower(), cast(Regional, record), key=None)
                return True
            except ConcurrentUpdate:
                if attempt == 2:
                    raise
        return False
