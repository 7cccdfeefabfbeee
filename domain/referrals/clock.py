"""The clock's command on referrals: a missed deadline recorded once, and escalated."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.referrals.model import Referral
from domain.standards.application import StandardsCommands


class ReferralClock(StandardsCommands):
    """Holds referrals to the alliance's deadlines."""

    def record_breach(self, *, referral_id: UUID, now: datetime) -> bool:
        """Record the referral's overdue answer (and its escalation) if not recorded yet.

        Safe to call from any number of clock processes: the breach is a new version of the
        referral, so of two clocks racing one commits and the other finds it recorded.
        """
        return self._record_once(Referral, referral_id, now)
