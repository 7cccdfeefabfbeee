"""Adopting an alliance's deadline policy, and reading the policy in force."""

from __future__ import annotations

from datetime import datetime

from domain.ingest.model import EventKey, Outcome
from domain.shared.commands import CommandHandler
from domain.shared.names import required
from domain.shared.regions import alliance_of, check_region
from domain.standards.deadlines import DeadlinePolicy
from domain.standards.model import Standards, standards_id


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
        alliance = alliance_of(check_region(region_code))
        ident = standards_id(alliance)
        standards = (
            self._load(Standards, ident, expected_version)
            if self._exists(ident)
            else Standards(region_code=alliance)
        )
        standards.adopt(policy=policy, actor=required(by, "actor"), reason=reason, at=at)
        return self._commit("standards", standards, key=key)
