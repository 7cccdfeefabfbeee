"""Standards and the clock's commands: deadline policies, and breaches recorded once."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.ingest.model import EventKey, Outcome
from domain.referrals.deadlines import DeadlinePolicy
from domain.referrals.model import Referral
from domain.referrals.standards import Standards, standards_id
from domain.shared.commands import CommandHandler
from domain.shared.errors import ConcurrentUpdate
from domain.shared.names import required
from domain.shared.regions import alliance_of, check_region


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

    def record_breach(self, *, referral_id: UUID, now: datetime) -> bool:
        """Record the referral's overdue answer (and its escalation) if not recorded yet.

        Safe to call from any number of clock processes: the breach is a new version of the
        referral, so of two clocks racing one commits and the other finds it recorded.
        """
        for attempt in (1, 2):
            referral = self._load(Referral, referral_id)
            if not referral.breach(now=now, policy=self.deadline_policy(referral.region_code)):
                return False
            try:
                self._commit("referral", referral, key=None)
                return True
            except ConcurrentUpdate:
                if attempt == 2:
                    raise
        return False
