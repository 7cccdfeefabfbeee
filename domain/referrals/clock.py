"""The clock's command on referrals: a missed deadline recorded once, and escalated."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.referrals.model import Referral
from domain.shared.errors import ConcurrentUpdate
from domain.standards.application import StandardsCommands


class ReferralClock(StandardsCommands):
    """Holds referrals to the alliance's deadlines."""

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
